import { contractRecorder, describeViolations } from '../support/contract-recorder';
import { OpenApiContract, type OpenApiDocument } from '../support/openapi-contract';
import { ServerProcess } from '../support/server-process';
import { useTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// The contract test's seam: answers of test apps and of server processes reach the checker, and a
// document that drifted from the code fails the test that received the answer.

/** docs/openapi.json minus `timestamp` in the liveness answer and minus readiness's 200. */
function driftedDocument(): OpenApiDocument {
  const document = structuredClone(OpenApiContract.load().document);
  const liveness = document.components.schemas.LivenessOutput as { properties: Record<string, unknown>; required: string[] };
  delete liveness.properties.timestamp;
  liveness.required = liveness.required.filter((name) => name !== 'timestamp');
  delete document.paths['/api/v1/health/ready'].get.responses['200'];
  return document;
}

describe('contract test: in-process apps', () => {
  const suite = useTestApp({ contract: new OpenApiContract(driftedDocument()) });

  it('reports each answer that differs from the document, and passes the ones that do not', async () => {
    expect((await suite.app.inject({ method: 'GET', url: '/api/v1/health/live' })).statusCode).toBe(200);
    expect((await suite.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
    expect((await suite.app.inject({ method: 'GET', url: '/api/v1/no-such-route' })).statusCode).toBe(404);

    // Taken here so this test passes; left in the recorder, they would fail it (contract-check.ts).
    const violations = contractRecorder.take();
    expect(violations).toEqual([
      { exchange: 'GET /api/v1/health/live → 200', key: 'getLiveness 200', problems: ['undeclared field body/timestamp'] },
      { exchange: 'GET /api/v1/health/ready → 200', key: 'getReadiness 200', problems: [expect.stringMatching(/^status 200 is not declared \(declared: /)] },
    ]);
    expect(contractRecorder.seenCount('(no route) 404')).toBe(1);
    expect(describeViolations(violations)).toContain('GET /api/v1/health/live → 200  (getLiveness 200)\n    - undeclared field body/timestamp');
  });
});

describe('contract test: server processes', () => {
  let database: TestDatabase;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    server?.kill('SIGKILL');
    await database?.drop();
  });

  it('checks the answers a server started as its own process sends', async () => {
    server = ServerProcess.start('dist/main.js', { DATABASE_URL: database.url });
    const url = await server.listening();
    const before = contractRecorder.seenCount('getLiveness 200');
    expect((await fetch(`${url}/api/v1/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/no-such-route`)).status).toBe(404);

    expect(contractRecorder.seenCount('getLiveness 200')).toBe(before + 1);
    expect(contractRecorder.seenCount('(no route) 404')).toBe(2);
    expect(contractRecorder.take()).toEqual([]);
  });
});
