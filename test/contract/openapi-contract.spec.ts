import { OpenApiContract, type ContractExchange, type OpenApiDocument } from '../support/openapi-contract';

// The checker the e2e suites run on every answer (test/setup/contract-check.ts) must report each
// kind of drift; otherwise every suite would pass against a document that lies.

const real = OpenApiContract.load();
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const live = { status: 'ok', timestamp: '2026-01-01T00:00:00.000Z' };
const envelope = { error: 'Not found', code: 'NOT_FOUND', requestId: 'req-1' };

function answer(overrides: Partial<ContractExchange> & { json?: unknown }): ContractExchange {
  const { json, ...rest } = overrides;
  return { method: 'GET', url: '/x', route: '/api/v1/health/live', status: 200, headers: JSON_TYPE, body: json === undefined ? '' : JSON.stringify(json), ...rest };
}

function problems(exchange: ContractExchange, contract = real): string[] {
  return contract.check(exchange).problems;
}

describe('the contract checker, against docs/openapi.json', () => {
  it('accepts an answer as documented', () => {
    expect(real.check(answer({ json: live }))).toEqual({ key: 'getLiveness 200', problems: [] });
  });

  it('reports an undeclared field', () => {
    expect(problems(answer({ json: { ...live, tenantId: 't-1' } }))).toEqual(['undeclared field body/tenantId']);
  });

  it('reports a status the operation does not declare', () => {
    expect(problems(answer({ status: 418, json: envelope }))).toEqual([expect.stringMatching(/^status 418 is not declared \(declared: 200\b/)]);
  });

  it('reports an error code the status does not list', () => {
    expect(problems(answer({ status: 400, json: { ...envelope, code: 'VALIDATION_FAILED' } }))).toEqual([]);
    expect(problems(answer({ status: 400, json: { ...envelope, code: 'NOT_FOUND' } }))).toEqual([expect.stringMatching(/^body\/code is "NOT_FOUND", not one of \[/)]);
  });

  it('reports a wrong type, a missing required field and a value outside the enum', () => {
    expect(problems(answer({ json: { status: 'degraded', timestamp: 5 } }))).toEqual([
      'body/status is "degraded", not one of ["ok"]',
      'body/timestamp must be string (got 5)',
    ]);
    expect(problems(answer({ json: { status: 'ok' } }))).toEqual(["body must have required property 'timestamp' (got {\"status\":\"ok\"})"]);
    expect(problems(answer({ json: { ...live, timestamp: 'yesterday' } }))).toEqual(['body/timestamp must match format "date-time" (got "yesterday")']);
  });

  it('reports a body of the wrong content type, a missing body, and a body where none is declared', () => {
    expect(problems(answer({ headers: { 'content-type': 'text/html' }, body: '<p>ok</p>' }))).toEqual([
      'content type text/html is not declared (declared: application/json)',
    ]);
    expect(problems(answer({ body: '' }))).toEqual(['empty body; the status declares application/json']);
    expect(problems(answer({ body: '{"status":' }))).toEqual(['body is not JSON: {"status":']);
    const revoke = { method: 'DELETE', route: '/api/v1/api-keys/:id', status: 204, headers: {} };
    expect(problems(answer({ ...revoke, body: '' }))).toEqual([]);
    expect(problems(answer({ ...revoke, headers: JSON_TYPE, json: { ok: true } }))).toEqual(['a body was sent (application/json) but the status declares none']);
  });

  it('checks the declared headers that are present', () => {
    const limited = answer({ route: '/api/v1/packages', status: 429, json: { ...envelope, code: 'RATE_LIMITED' } });
    expect(problems({ ...limited, headers: { ...JSON_TYPE, 'retry-after': '30', 'ratelimit-remaining': '0' } })).toEqual([]);
    expect(problems({ ...limited, headers: { ...JSON_TYPE, 'retry-after': 'soon' } })).toEqual(['header Retry-After: "soon" must be integer']);
  });

  it('reports a route that is not an operation of the document', () => {
    expect(problems(answer({ route: '/api/v1/secret', json: {} }))).toEqual(['GET /api/v1/secret is not an operation of the document']);
    expect(problems(answer({ method: 'PUT', json: live }))).toEqual(['PUT /api/v1/health/live is not an operation of the document']);
  });

  it('holds answers without a route, and error answers of test-only routes, to the error envelope', () => {
    expect(real.check(answer({ route: undefined, status: 404, json: envelope }))).toEqual({ key: '(no route) 404', problems: [] });
    expect(problems(answer({ route: undefined, status: 404, json: { ...envelope, path: '/x' } }))).toEqual(['undeclared field body/path']);
    expect(problems(answer({ route: undefined, status: 404, headers: { 'content-type': 'text/html' }, body: 'Not Found' }))).toEqual([
      'content type text/html is not declared (declared: application/json)',
    ]);
    expect(problems(answer({ route: '/api/v1/test-errors/boom', testOnly: true, status: 500, json: { message: 'boom' } }))).toEqual([
      "body must have required property 'error' (got {\"message\":\"boom\"})",
      "body must have required property 'code' (got {\"message\":\"boom\"})",
      "body must have required property 'requestId' (got {\"message\":\"boom\"})",
      'undeclared field body/message',
    ]);
    expect(problems(answer({ route: '/api/v1/test-errors/ok', testOnly: true, json: { anything: true } }))).toEqual([]);
  });

  it('checks HEAD as the GET it mirrors, and leaves CORS preflights and the documentation alone', () => {
    expect(real.check(answer({ method: 'HEAD', body: '' }))).toEqual({ key: 'getLiveness 200', problems: [] });
    expect(problems(answer({ method: 'HEAD', status: 418, body: '' }))).toEqual([expect.stringMatching(/^status 418 is not declared/)]);
    expect(problems(answer({ method: 'OPTIONS', route: '*', status: 204, body: '' }))).toEqual([]);
    expect(problems(answer({ route: '/docs', headers: { 'content-type': 'text/html' }, body: '<html>' }))).toEqual([]);
  });

  it('reports an answer it could not capture', () => {
    expect(problems(answer({ captureError: 'TypeError: boom' }))).toEqual(['capturing the answer failed: TypeError: boom']);
  });
});

describe('the contract checker, on composed and nullable schemas', () => {
  // What per-status error responses look like: the envelope composed with the codes of that status.
  const document: OpenApiDocument = {
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            default: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorOutput' } } } },
            '404': {
              content: {
                'application/json': {
                  schema: { allOf: [{ $ref: '#/components/schemas/ErrorOutput' }, { properties: { code: { enum: ['THING_NOT_FOUND'], type: 'string' } }, type: 'object' }] },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        ErrorOutput: { type: 'object', properties: { code: { type: 'string' }, error: { type: 'string' } }, required: ['code', 'error'] },
        Owner: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        Thing: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] },
            // How Nest writes a nullable nested DTO.
            previousOwner: { type: 'object', nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] },
            tags: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' } } } },
            kind: { nullable: true, type: 'string', enum: ['a', 'b'] },
            metadata: { type: 'object', additionalProperties: true },
            shape: { oneOf: [{ type: 'object', properties: { radius: { type: 'number' } }, required: ['radius'] }, { type: 'object', properties: { side: { type: 'number' } }, required: ['side'] }] },
          },
          required: ['id'],
        },
      },
    },
  };
  const contract = new OpenApiContract(document);
  const thing = (json: unknown, status = 200) => problems(answer({ route: '/things/:id', status, json }), contract);
  const id = '0b5d1c1e-3f2a-4c55-9d0e-8e7f6a5b4c3d';

  it('accepts what the composition allows', () => {
    expect(thing({ id, owner: { name: 'Ann' }, tags: [{ label: 'x' }], kind: null, metadata: { free: { form: 1 } }, shape: { radius: 2 } })).toEqual([]);
    expect(thing({ id, owner: null, previousOwner: null, shape: { side: 1 } })).toEqual([]);
    expect(thing({ id, previousOwner: { name: 'Bo' } })).toEqual([]);
    expect(thing({ code: 'THING_NOT_FOUND', error: 'Not found' }, 404)).toEqual([]);
  });

  it('does not take a `default` response as declaring a status', () => {
    expect(thing({ code: 'BOOM', error: 'Internal' }, 500)).toEqual(['status 500 is not declared (declared: 200, 404)']);
  });

  it('reports an error code outside the status’s enum, and a field neither member of allOf declares', () => {
    expect(thing({ code: 'NOT_FOUND', error: 'Not found' }, 404)).toEqual(['body/code is "NOT_FOUND", not one of ["THING_NOT_FOUND"]']);
    expect(thing({ code: 'THING_NOT_FOUND', error: 'Not found', stack: 'at …' }, 404)).toEqual(['undeclared field body/stack']);
  });

  it('reports undeclared fields at any depth: behind a nullable $ref, in array items, in oneOf branches', () => {
    expect(thing({ id, owner: { name: 'Ann', email: 'a@b.c' } })).toContain('undeclared field body/owner/email');
    expect(thing({ id, previousOwner: { name: 'Bo', email: 'b@c.d' } })).toContain('undeclared field body/previousOwner/email');
    expect(thing({ id, tags: [{ label: 'x', colour: 'red' }] })).toEqual(['undeclared field body/tags/0/colour']);
    expect(thing({ id, shape: { radius: 2, colour: 'red' } })).toEqual(['undeclared field body/shape/colour']);
    expect(thing({ id, kind: 'c' })).toContain('body/kind is "c", not one of ["a","b",null]');
  });
});
