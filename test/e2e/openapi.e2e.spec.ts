import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentErrorCode } from '../../src/agent/agent.errors';
import { AuditErrorCode } from '../../src/audit/audit.errors';
import { AuthErrorCode } from '../../src/auth/auth.errors';
import { CatalogErrorCode } from '../../src/catalog/catalog.errors';
import { CommonErrorCode } from '../../src/common/errors/common.errors';
import { answeredAs } from '../../src/common/errors/error-response';
import { HealthErrorCode } from '../../src/health/health.errors';
import { IdempotencyErrorCode } from '../../src/idempotency/idempotency.errors';
import { IntegrationsErrorCode } from '../../src/integrations/integrations.errors';
import { UNDOCUMENTED_ERROR_CODES } from '../../src/openapi/error-responses';
import { serializeOpenApiDocument } from '../../src/openapi/openapi-document';
import { ProvisioningErrorCode } from '../../src/provisioning/provisioning.errors';
import { TenancyErrorCode } from '../../src/tenancy/tenancy.errors';
import { createAjv } from '../support/openapi-contract';
import { strictResponseSchema, type SchemaNode } from '../support/strict-response-schema';
import { useTestApp } from '../support/test-app';

const CHECKED_IN = join(__dirname, '..', '..', 'docs', 'openapi.json');
const ERROR_ENUMS = [AgentErrorCode, AuditErrorCode, AuthErrorCode, CatalogErrorCode, CommonErrorCode, HealthErrorCode, IdempotencyErrorCode, IntegrationsErrorCode, ProvisioningErrorCode, TenancyErrorCode];

interface ErrorSchema {
  allOf?: Array<{ $ref?: string; properties?: { code?: { enum?: string[] } } }>;
  oneOf?: ErrorSchema[];
  properties?: Record<string, unknown>;
}
interface Response {
  description: string;
  content?: Record<string, { schema: ErrorSchema; example?: { code?: string } }>;
}
/** The MCP endpoint's operations: JSON-RPC, so some refusals come in JSON-RPC's envelope. */
const MCP_OPERATIONS = new Set(['agentMcp', 'agentMcpStream', 'agentMcpEndSession']);
interface Document {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, Response> }>>;
}
const readDocument = () => JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as Document;
const operationsOf = (document: Document) => Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));

describe('OpenAPI document', () => {
  const suite = useTestApp();

  it('served by the app is the checked-in docs/openapi.json (run `npm run openapi` after API changes)', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(serializeOpenApiDocument(response.json())).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });

  it('documents only served routes, each with an operationId', () => {
    const document = readDocument();
    const fastify = suite.app.getHttpAdapter().getInstance();
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        expect({ method, url, served: fastify.hasRoute({ method: method.toUpperCase(), url }) }).toEqual({ method, url, served: true });
        expect(op.operationId).toEqual(expect.any(String));
      }
    }
  });

  it('lists every error status of every operation (no catch-all default), each the envelope with its codes as an enum under the status the filter answers', () => {
    for (const { method, path, operation } of operationsOf(readDocument())) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, default: operation.responses.default }).toEqual({ where, default: undefined });
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      // Every operation can meet at least the input limits and an internal error.
      expect({ where, statuses: errors.map(([status]) => status) }).toEqual({ where, statuses: expect.arrayContaining(['400', '413', '431', '500']) });
      for (const [status, response] of errors) {
        const json = response.content?.['application/json'];
        // MCP speaks JSON-RPC: its transport's refusals are JSON-RPC errors, alone or beside the envelope.
        const members = json?.schema.oneOf ?? [json?.schema];
        const jsonRpc = members.filter((member) => member?.properties?.jsonrpc);
        if (jsonRpc.length > 0) expect({ where, jsonRpc: true }).toEqual({ where, jsonRpc: MCP_OPERATIONS.has(operation.operationId!) });
        if (jsonRpc.length === members.length) continue;
        const envelope = members.find((member) => member?.allOf);
        expect(envelope?.allOf?.[0]).toEqual({ $ref: '#/components/schemas/ErrorOutput' });
        const codes = envelope?.allOf?.[1]?.properties?.code?.enum ?? [];
        expect(codes.length).toBeGreaterThan(0);
        expect(codes).toContain(json?.example?.code);
        for (const code of codes) expect({ where, code, status: answeredAs(code).status }).toEqual({ where, code, status: Number(status) });
      }
    }
  });

  it('declares every code of every error enum on some operation, or says why none answers it', () => {
    const declared = new Set(operationsOf(readDocument()).flatMap(({ operation }) => Object.values(operation.responses).flatMap((response) => { const schema = response.content?.['application/json']?.schema; return [schema, ...(schema?.oneOf ?? [])].flatMap((member) => member?.allOf?.[1]?.properties?.code?.enum ?? []); })));
    const codes = ERROR_ENUMS.flatMap((codeEnum) => Object.values(codeEnum) as string[]);
    // Codes mapped to 500 are answered as INTERNAL: what the client sees is what must be declared.
    const missing = [...new Set(codes)].filter((code) => !declared.has(answeredAs(code).code) && !(code in UNDOCUMENTED_ERROR_CODES));
    expect(missing).toEqual([]);
    for (const code of Object.keys(UNDOCUMENTED_ERROR_CODES)) expect({ code, declared: declared.has(code) }).toEqual({ code, declared: false });
  });

  it("states the validators' constraints: closed request bodies, no defaults on PATCH, uuid ids, class-validator's bounds and formats", () => {
    const document = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> }; parameters?: Array<{ name: string; in: string; schema: { format?: string } }> }>>;
      components: { schemas: Record<string, { additionalProperties?: boolean; properties?: Record<string, Record<string, unknown>> }> };
    };
    const { schemas } = document.components;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const ref = operation.requestBody?.content['application/json']?.schema.$ref;
        if (ref) {
          const name = ref.split('/').pop()!;
          expect({ name, additionalProperties: schemas[name].additionalProperties }).toEqual({ name, additionalProperties: false });
          if (method === 'patch') for (const [field, property] of Object.entries(schemas[name].properties ?? {})) expect({ name, field, default: property.default }).toEqual({ name, field, default: undefined });
        }
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in === 'path' && parameter.name === 'id') expect({ path, format: parameter.schema.format }).toEqual({ path, format: 'uuid' });
        }
      }
    }
    expect(schemas.SignupInput.properties?.email).toMatchObject({ format: 'email', maxLength: 320 });
    expect(schemas.CreatePackageInput.properties?.slug).toMatchObject({ pattern: expect.any(String), maxLength: expect.any(Number) });
    expect(schemas.CreatePackageInput.properties?.active).toMatchObject({ default: true });
    expect(schemas.ReorderSegmentsInput.properties?.segmentIds).toMatchObject({ items: { format: 'uuid' }, maxItems: expect.any(Number) });
  });

  it("describes the API: package.json's version, every used tag listed with a description, each operation's access in words and extensions", () => {
    const document = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as {
      info: { version: string };
      tags: Array<{ name: string; description?: string }>;
      paths: Record<string, Record<string, Record<string, unknown> & { tags?: string[]; description?: string; parameters?: Array<{ name: string; in: string }> }>>;
    };
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(document.info.version).toBe(pkg.version);
    const listed = new Map(document.tags.map((tag) => [tag.name, tag.description]));
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        for (const tag of operation.tags ?? []) expect({ where, tag, description: listed.get(tag) }).toEqual({ where, tag, description: expect.any(String) });
        expect({ where, scopes: operation['x-required-scopes'], description: operation.description }).toEqual({ where, scopes: expect.any(Array), description: expect.stringContaining('Access: ') });
        const override = (operation.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'X-Operator-Override');
        expect({ where, override }).toEqual({ where, override: operation['x-access'] === 'tenant' && method === 'get' });
        if (operation['x-access'] === 'tenant') expect({ where, scopes: (operation['x-required-scopes'] as string[]).length }).toEqual({ where, scopes: 1 });
      }
    }
  });

  it('has an example for every request body and every response with content, each valid against its own schema', () => {
    const document = JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: SchemaNode; example?: unknown }> }; responses: Record<string, { content?: Record<string, { schema: SchemaNode; example?: unknown }> }> }>>;
      components: { schemas: Record<string, SchemaNode> };
    };
    const ajv = createAjv();
    const problems: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const media = [
          ...Object.entries(operation.requestBody?.content ?? {}).map(([type, entry]) => [`request ${type}`, entry] as const),
          ...Object.entries(operation.responses).flatMap(([status, response]) => Object.entries(response.content ?? {}).map(([type, entry]) => [`${status} ${type}`, entry] as const)),
        ];
        for (const [what, entry] of media) {
          const where = `${method.toUpperCase()} ${path} ${what}`;
          checked++;
          if (entry.example === undefined) {
            problems.push(`${where}: no example`);
            continue;
          }
          // Strict: an example with a field the schema does not declare is as wrong as a missing one.
          const validate = ajv.compile(strictResponseSchema(entry.schema, document.components.schemas));
          if (!validate(entry.example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('has Swagger UI at /docs', async () => {
    const response = await suite.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('swagger-ui');
  });
});
