import type { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { CSRF_CHECKED_METHODS } from '../auth/auth.constants';
import { AuthErrorCode } from '../auth/auth.errors';
import { ERROR_CODES_EXTENSION, JSON_RPC_ERRORS_EXTENSION, type JsonRpcErrorAnswer } from '../common/errors/api-errors.decorator';
import { CommonErrorCode } from '../common/errors/common.errors';
import { answeredAs } from '../common/errors/error-response';
import { IdempotencyErrorCode } from '../idempotency/idempotency.errors';
import { IntegrationsErrorCode } from '../integrations/integrations.errors';
import { RATE_LIMIT_HEADERS } from '../rate-limit/rate-limit.constants';
import { headerRef } from '../rate-limit/rate-limit.decorators';
import { TenancyErrorCode } from '../tenancy/tenancy.errors';

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The document-level facts about an operation that decide which cross-cutting layers can refuse it. */
export interface OperationFacts {
  method: (typeof HTTP_METHODS)[number];
  access: string | undefined;
  rateLimited: boolean;
  idempotent: boolean;
}

/**
 * Codes every request can meet before its handler runs, from the layers in front of it:
 * - the HTTP server and input limits (common/http): a malformed URL or Content-Length (400
 *   BAD_REQUEST; also ParseUUIDPipe's refusal of a malformed id), a NUL or lone surrogate in the
 *   query or path (400 VALIDATION_FAILED), a string over JSON_MAX_STRING_LENGTH in them (413),
 *   headers too large (431), and a body that is not JSON (415) or malformed (400 INVALID_JSON)
 *   on every method Fastify reads a body for;
 * - the access guard (auth/access.guard.ts): by the route's access decorator (x-access);
 * - the rate-limit guard (x-rate-limit) and the idempotency interceptor (its own rule);
 * - anything unexpected: 500 INTERNAL.
 */
export function layerErrorCodes(facts: OperationFacts): string[] {
  const codes: string[] = [CommonErrorCode.BAD_REQUEST, CommonErrorCode.VALIDATION_FAILED, CommonErrorCode.PAYLOAD_TOO_LARGE, CommonErrorCode.HEADERS_TOO_LARGE, CommonErrorCode.INTERNAL];
  const write = CSRF_CHECKED_METHODS.has(facts.method.toUpperCase());
  if (write) {
    // The body parser runs whether or not the handler reads a body; X-Operator-Override is refused on writes (public routes too).
    codes.push(CommonErrorCode.INVALID_JSON, CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, AuthErrorCode.OPERATOR_OVERRIDE_READ_ONLY);
  }
  if (facts.access !== 'public') {
    codes.push(AuthErrorCode.UNAUTHENTICATED, TenancyErrorCode.TENANT_SIGNATURE_INVALID);
    if (write) codes.push(AuthErrorCode.CSRF_ORIGIN_REFUSED, CommonErrorCode.CONFLICT);
  }
  if (facts.access === 'tenant' || facts.access === 'operator') codes.push(AuthErrorCode.FORBIDDEN);
  if (facts.access === 'tenant') {
    // The scoped client refuses a query naming another tenant (a bug's last wall, tenancy/tenant-scoping.ts).
    codes.push(AuthErrorCode.TENANT_SUSPENDED, AuthErrorCode.TENANT_UNAVAILABLE, TenancyErrorCode.CROSS_TENANT_ACCESS);
    if (!write) codes.push(AuthErrorCode.OVERRIDE_TENANT_NOT_FOUND);
  }
  if (facts.rateLimited) codes.push(CommonErrorCode.RATE_LIMITED);
  if (facts.idempotent) codes.push(IdempotencyErrorCode.INVALID_IDEMPOTENCY_KEY, IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED, IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_USE);
  return codes;
}

/**
 * Codes of the enums that no documented operation answers, and why. A test fails when a code is
 * neither declared by some operation nor listed here.
 */
export const UNDOCUMENTED_ERROR_CODES: Readonly<Record<string, string>> = {
  [CommonErrorCode.METHOD_NOT_ALLOWED]: 'a method a path does not have: an unknown route to the client',
  [CommonErrorCode.UNIQUE_VIOLATION]: 'the safety net for a unique constraint a service did not map to its named 409',
  [CommonErrorCode.INVALID_REFERENCE]: 'the safety net for a foreign key a service did not map to its named 404',
  [CommonErrorCode.SERVICE_UNAVAILABLE]: 'the code of an HTTP 503 raised outside our services; none is',
  [IntegrationsErrorCode.CREDENTIAL_UNREADABLE]: 'only CredentialsVault.reveal() opens stored values, and no route calls it yet',
  [AuthErrorCode.ROUTE_ACCESS_UNDECLARED]: 'every route declares its access (route-access.spec.ts)',
};

const ERROR_SCHEMA_REF = '#/components/schemas/ErrorOutput';

/** JSON-RPC 2.0's error response, as the MCP SDK's transport writes it (id is null: no request was read). */
export const JSON_RPC_ERROR_SCHEMA = {
  type: 'object',
  required: ['jsonrpc', 'error', 'id'],
  properties: {
    jsonrpc: { type: 'string', enum: ['2.0'] },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'integer', format: 'int32', description: 'JSON-RPC error code (-32700 parse error, -32600 invalid request, -32603 internal, -32000 transport refusal).' },
        message: { type: 'string', maxLength: 1000 },
      },
    },
    id: { type: 'string', nullable: true, enum: [null], description: 'Always null: the refusal answers no request id.' },
  },
};

/**
 * Adds the JSON-RPC error answers an operation declares (@ApiJsonRpcErrors): alone under a status
 * only JSON-RPC answers, or as an alternative to the envelope when the layers in front answer it too.
 */
function withJsonRpcErrors(responses: Record<string, ResponseObject>, answers: JsonRpcErrorAnswer[]): void {
  for (const [status, group] of groupBy(answers, (answer) => String(answer.status))) {
    const example = { jsonrpc: '2.0', error: { code: group[0].code, message: group[0].message }, id: null };
    const says = group.map((answer) => `JSON-RPC ${answer.code} (${answer.message})`).join('; ');
    const envelope = responses[status]?.content?.['application/json'] as { schema: object; example: object } | undefined;
    if (envelope) {
      responses[status] = { ...responses[status], description: `${responses[status].description}; or a JSON-RPC error: ${says}`, content: { 'application/json': { schema: { oneOf: [envelope.schema, JSON_RPC_ERROR_SCHEMA] }, example: envelope.example } } };
    } else {
      const headers = status === '405' ? { Allow: { description: 'The methods this path offers.', schema: { type: 'string', enum: ['POST'] } } } : undefined;
      responses[status] = { description: `${STATUS_CODES[Number(status)] ?? 'Error'}, as a JSON-RPC error: ${says}`, content: { 'application/json': { schema: JSON_RPC_ERROR_SCHEMA, example } }, ...(headers ? { headers } : {}) };
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Headers some error answers carry. */
function errorHeaders(status: number, codes: string[]): ResponseObject['headers'] {
  if (status === 429 && codes.includes(CommonErrorCode.RATE_LIMITED)) return Object.fromEntries(Object.values(RATE_LIMIT_HEADERS).map((name) => [name, headerRef(name)]));
  if (status === 503 && codes.includes(AuthErrorCode.AUTH_BUSY)) return { [RATE_LIMIT_HEADERS.retryAfter]: headerRef(RATE_LIMIT_HEADERS.retryAfter) };
  return undefined;
}

/** One response per status an operation can answer with, each the envelope with its `code`s as an enum. */
export function errorResponses(codes: string[]): Record<string, ResponseObject> {
  const byStatus = new Map<number, Set<string>>();
  for (const declared of codes) {
    const { status, code } = answeredAs(declared);
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, set]) => {
      const sorted = [...set].sort();
      const headers = errorHeaders(status, sorted);
      const response: ResponseObject = {
        description: `${STATUS_CODES[status] ?? 'Error'}: ${sorted.map((code) => `\`${code}\``).join(', ')}`,
        content: {
          'application/json': {
            schema: { allOf: [{ $ref: ERROR_SCHEMA_REF }, { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: sorted } } }] },
            example: { error: exampleMessage(status), code: sorted[0], requestId: '0b5d1c1e-3f2a-4c55-9d0e-8e7f6a5b4c3d' },
          },
        },
        ...(headers ? { headers } : {}),
      };
      return [String(status), response];
    }),
  );
}

function sortedByStatus(responses: Record<string, ResponseObject>): Record<string, ResponseObject> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

function exampleMessage(status: number): string {
  return status === 500 ? 'Internal error' : (STATUS_CODES[status] ?? 'Error');
}

type DocumentedOperation = OperationObject & Record<string, unknown>;

/**
 * Replaces the catch-all `default` answer by the statuses each operation can really answer with:
 * the codes its handler declares (@ApiErrors, x-error-codes) plus those of the layers in front of
 * it (layerErrorCodes), each under the status the exception filter gives it.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as DocumentedOperation | undefined;
      if (!operation) continue;
      const declared = (operation[ERROR_CODES_EXTENSION] as string[] | undefined) ?? [];
      delete operation[ERROR_CODES_EXTENSION];
      const jsonRpc = (operation[JSON_RPC_ERRORS_EXTENSION] as JsonRpcErrorAnswer[] | undefined) ?? [];
      delete operation[JSON_RPC_ERRORS_EXTENSION];
      const facts: OperationFacts = {
        method,
        access: operation['x-access'] as string | undefined,
        rateLimited: Array.isArray(operation['x-rate-limit']) && (operation['x-rate-limit'] as unknown[]).length > 0,
        idempotent: (operation.parameters ?? []).some((parameter: object) => 'name' in parameter && parameter.name === 'Idempotency-Key'),
      };
      const responses = errorResponses([...layerErrorCodes(facts), ...declared]);
      withJsonRpcErrors(responses, jsonRpc);
      for (const status of Object.keys(operation.responses)) if (status === 'default' || Number(status) >= 400) delete operation.responses[status];
      // A handler that only refuses (405) has no success answer: drop the empty 200 Nest puts in its place.
      const placeholder = operation.responses['200'] as ResponseObject | undefined;
      if (jsonRpc.length > 0 && placeholder?.description === '' && !placeholder.content) delete operation.responses['200'];
      Object.assign(operation.responses, sortedByStatus(responses) as OperationObject['responses']);
    }
  }
  return document;
}
