/** The parts of the OpenAPI document the fuzz suite reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

interface RawOperation {
  operationId: string;
  'x-access'?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<string, RawOperation>>>;
  components: { schemas: Record<string, Schema> };
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operationId: string;
  access: string;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  headerParameters: Parameter[];
  body?: Schema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const raw = item[method]!;
      const parameters = raw.parameters ?? [];
      return {
        method: method.toUpperCase() as Operation['method'],
        path,
        operationId: raw.operationId,
        access: raw['x-access'] ?? 'undeclared',
        pathParameters: parameters.filter((parameter) => parameter.in === 'path'),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query'),
        headerParameters: parameters.filter((parameter) => parameter.in === 'header'),
        body: raw.requestBody?.content['application/json']?.schema,
      };
    }),
  );
}

/** A schema with its `$ref` and single-entry `allOf` (how @nestjs/swagger wraps a described ref) followed. */
export function resolveSchema(document: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; hops < 10; hops++) {
    if (current.$ref) {
      current = { ...document.components.schemas[current.$ref.split('/').pop()!], ...withoutKey(current, '$ref') };
    } else if (current.allOf?.length === 1) {
      current = { ...resolveSchema(document, current.allOf[0]), ...withoutKey(current, 'allOf') };
    } else {
      return current;
    }
  }
  return current;
}

function withoutKey(schema: Schema, key: keyof Schema): Schema {
  const copy = { ...schema };
  delete copy[key];
  return copy;
}
