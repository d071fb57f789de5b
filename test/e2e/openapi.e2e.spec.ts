import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeOpenApiDocument } from '../../src/openapi/openapi-document';
import { useTestApp } from '../support/test-app';

const CHECKED_IN = join(__dirname, '..', '..', 'docs', 'openapi.json');

describe('OpenAPI document', () => {
  const suite = useTestApp();

  it('served by the app is the checked-in docs/openapi.json (run `npm run openapi` after API changes)', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(serializeOpenApiDocument(response.json())).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });

  it('documents only served routes, each with an operationId and the error envelope', () => {
    const document = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as { paths: Record<string, object> };
    const fastify = suite.app.getHttpAdapter().getInstance();
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const operation = op as { operationId?: string; responses: Record<string, unknown> };
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        expect({ method, url, served: fastify.hasRoute({ method: method.toUpperCase(), url }) }).toEqual({ method, url, served: true });
        expect(operation.operationId).toEqual(expect.any(String));
        expect(operation.responses.default).toEqual({
          description: expect.any(String),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorOutput' } } },
        });
      }
    }
  });

  it('has Swagger UI at /docs', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('swagger-ui');
  });
});
