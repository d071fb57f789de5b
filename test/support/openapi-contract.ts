import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_PATH, OPENAPI_UI_PATH } from '../../src/common/constants';
import { strictResponseSchema, type SchemaNode } from './strict-response-schema';

export const OPENAPI_DOCUMENT_FILE = join(__dirname, '..', '..', 'docs', 'openapi.json');

/** One answer the application gave, as the client received it. */
export interface ContractExchange {
  method: string;
  url: string;
  /** Fastify's route template (`/api/v1/packages/:id`); undefined when no route matched. */
  route?: string;
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, number | string | string[] | undefined>;
  /** The body as text; undefined when it was not captured. */
  body?: string;
  /** Served by a route the test mounted itself, not by the application. */
  testOnly?: boolean;
  /** Set when capturing the answer failed (contract-capture.js); reported, never thrown. */
  captureError?: string;
}

export interface ContractCheck {
  /** What was exercised, for the summary: `createPackage 201`, `(no route) 404`, `(exempt) OPTIONS *`. */
  key: string;
  problems: string[];
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: SchemaNode }>;
  headers?: Record<string, { $ref?: string; required?: boolean; schema?: SchemaNode }>;
}

interface OperationObject {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, SchemaNode>;
    responses?: Record<string, ResponseObject>;
    headers?: Record<string, { required?: boolean; schema?: SchemaNode }>;
  };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ERROR_ENVELOPE = '#/components/schemas/ErrorOutput';
const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * Checks answers against docs/openapi.json: the operation exists, the status is declared explicitly
 * (a `default` response does not count: clients cannot know its `code`s), the content type is one
 * the status declares, the body matches its schema with no undeclared field anywhere, and declared
 * headers that are present have declared values. The document is read as it is checked in; the
 * openapi e2e test keeps it equal to what the code generates.
 *
 * Answers outside the operations:
 * - no route matched (unknown URL, malformed request refused before routing): must be a 4xx/5xx
 *   `ErrorOutput` envelope, as every error answer;
 * - a route a test mounted itself: not in the document, but its error answers go through the same
 *   filter, so they must be envelopes too;
 * - exempt: the documentation itself (`/docs…`, which describes the API rather than being part of it),
 *   the admin console's files (`/console…`: a web app's HTML and assets, served beside the API, not
 *   operations of it; its own calls to the API are checked like any other) and `OPTIONS` (CORS preflights, the browser's protocol, answered by @fastify/cors).
 * `HEAD` is checked as the `GET` it mirrors, without a body.
 */
export class OpenApiContract {
  private readonly ajv = createAjv();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {}

  static load(file = OPENAPI_DOCUMENT_FILE): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument);
  }

  check(exchange: ContractExchange): ContractCheck {
    if (exchange.captureError) return { key: '(not captured)', problems: [`capturing the answer failed: ${exchange.captureError}`] };
    const method = exchange.method.toUpperCase();
    const path = exchange.route === undefined ? undefined : openApiPath(exchange.route);
    if (method === 'OPTIONS' || (path !== undefined && isDocumentationPath(path))) {
      return { key: `(exempt) ${method} ${path ?? exchange.url}`, problems: [] };
    }
    if (path === undefined || exchange.testOnly) {
      const key = `${path === undefined ? '(no route)' : `(test route) ${method} ${path}`} ${exchange.status}`;
      if (path === undefined && exchange.status < 400) return { key, problems: [`answered ${exchange.status} without a route`] };
      return { key, problems: exchange.status >= 400 ? this.checkEnvelope(exchange) : [] };
    }

    const operationMethod = method === 'HEAD' && !this.document.paths[path]?.head ? 'get' : method.toLowerCase();
    const operation = this.document.paths[path]?.[operationMethod];
    if (!operation || !HTTP_METHODS.includes(operationMethod)) {
      return { key: `(undocumented) ${method} ${path} ${exchange.status}`, problems: [`${method} ${path} is not an operation of the document`] };
    }
    const name = operation.operationId ?? `${operationMethod.toUpperCase()} ${path}`;
    const key = `${name} ${exchange.status}`;
    const declared = operation.responses[String(exchange.status)];
    if (!declared) {
      const statuses = Object.keys(operation.responses).filter((status) => status !== 'default');
      return { key, problems: [`status ${exchange.status} is not declared (declared: ${statuses.join(', ') || 'none'})`] };
    }
    const response = this.resolveResponse(declared);
    return { key, problems: [...this.checkHeaders(response, exchange), ...this.checkBody(`${name} ${exchange.status}`, response, exchange, method === 'HEAD')] };
  }

  /** Every response the document declares explicitly, as `operationId status`, for the coverage list. */
  declaredResponses(): string[] {
    const keys: string[] = [];
    for (const [path, item] of Object.entries(this.document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const name = operation.operationId ?? `${method.toUpperCase()} ${path}`;
        for (const status of Object.keys(operation.responses)) if (status !== 'default') keys.push(`${name} ${status}`);
      }
    }
    return keys;
  }

  private checkEnvelope(exchange: ContractExchange): string[] {
    return this.checkBody('ErrorOutput', { content: { 'application/json': { schema: { $ref: ERROR_ENVELOPE } } } }, exchange, exchange.method.toUpperCase() === 'HEAD');
  }

  private checkBody(cacheKey: string, response: ResponseObject, exchange: ContractExchange, headRequest: boolean): string[] {
    const contentType = headerValue(exchange.headers['content-type']);
    const media = contentType?.split(';')[0].trim().toLowerCase();
    const declared = response.content ?? {};
    const declaredTypes = Object.keys(declared);
    const hasBody = exchange.body !== undefined && exchange.body.length > 0;

    if (declaredTypes.length === 0) return hasBody ? [`a body was sent (${media ?? 'no content type'}) but the status declares none`] : [];
    if (headRequest) return [];
    if (exchange.body === undefined) return [];
    if (!hasBody) return [`empty body; the status declares ${declaredTypes.join(', ')}`];
    const mediaKey = media === undefined ? undefined : declaredTypes.find((type) => mediaMatches(type, media));
    if (mediaKey === undefined) return [`content type ${contentType ?? '(none)'} is not declared (declared: ${declaredTypes.join(', ')})`];

    const schema = declared[mediaKey].schema;
    if (!schema || !JSON_MEDIA.test(media!)) return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`body is not JSON: ${truncate(exchange.body)}`];
    }
    const validate = this.validator(`${cacheKey} ${mediaKey}`, schema);
    return validate(body) ? [] : describeErrors(validate.errors ?? []);
  }

  private checkHeaders(response: ResponseObject, exchange: ContractExchange): string[] {
    const problems: string[] = [];
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = declared.$ref ? this.document.components.headers?.[declared.$ref.split('/').pop()!] : declared;
      if (!header) {
        problems.push(`header ${name}: unresolvable ${declared.$ref}`);
        continue;
      }
      const value = headerValue(exchange.headers[name.toLowerCase()]);
      if (value === undefined) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      if (!header.schema) continue;
      const numeric = header.schema.type === 'integer' || header.schema.type === 'number';
      const parsed = numeric && /^-?\d+(?:\.\d+)?$/.test(value) ? Number(value) : value;
      const validate = this.validator(`header ${name} ${JSON.stringify(header.schema)}`, header.schema);
      if (!validate(parsed)) problems.push(`header ${name}: ${JSON.stringify(value)} ${validate.errors?.[0]?.message ?? 'does not match'}`);
    }
    return problems;
  }

  private resolveResponse(response: ResponseObject): ResponseObject {
    if (!response.$ref) return response;
    const resolved = this.document.components.responses?.[response.$ref.split('/').pop()!];
    if (!resolved) throw new Error(`unresolvable response ${response.$ref}`);
    return resolved;
  }

  private validator(key: string, schema: SchemaNode): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(strictResponseSchema(schema, this.document.components.schemas));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

export function createAjv(): Ajv2019 {
  // verbose: errors carry the offending value, so a failure shows what was sent.
  const ajv = new Ajv2019({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI 3.0's own formats: sizes the JSON numbers must fit, and hints that constrain nothing.
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  for (const hint of ['float', 'double']) ajv.addFormat(hint, { type: 'number', validate: () => true });
  for (const hint of ['password', 'binary']) ajv.addFormat(hint, () => true);
  return ajv;
}

function describeErrors(errors: ErrorObject[]): string[] {
  const problems = errors.map((error) => {
    const at = `body${error.instancePath}`;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') return `undeclared field ${at}/${String(params.additionalProperty)}`;
    if (error.keyword === 'unevaluatedProperties') return `undeclared field ${at}/${String(params.unevaluatedProperty)}`;
    if (error.keyword === 'enum') return `${at} is ${truncate(JSON.stringify(error.data))}, not one of ${JSON.stringify(params.allowedValues)}`;
    return `${at} ${error.message ?? error.keyword} (got ${truncate(JSON.stringify(error.data))})`;
  });
  return [...new Set(problems)];
}

/** `/api/v1/packages/:id` (Fastify, maybe with a regexp) → `/api/v1/packages/{id}` (OpenAPI). */
export function openApiPath(route: string): string {
  return route.replace(/:(\w+)(?:\([^)]*\))?/g, '{$1}');
}

function isDocumentationPath(path: string): boolean {
  const under = (prefix: string) => path === `/${prefix}` || path.startsWith(`/${prefix}/`);
  return under(OPENAPI_UI_PATH) || path.startsWith(`/${OPENAPI_UI_PATH}-`) || under(CONSOLE_PATH);
}

function mediaMatches(declared: string, media: string): boolean {
  const [type, subtype] = declared.toLowerCase().split('/');
  const [actualType, actualSubtype] = media.split('/');
  return (type === '*' || type === actualType) && (subtype === '*' || subtype === actualSubtype);
}

function headerValue(value: number | string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function truncate(text: string | undefined, max = 120): string {
  if (text === undefined) return 'undefined';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
