import type { OpenAPIObject } from '@nestjs/swagger';
import { HTTP_METHODS } from './error-responses';

type Schema = Record<string, unknown>;
type MediaType = { schema?: Schema; example?: unknown; examples?: unknown };

/** Fixed values by string format: the same document on every run (`npm run openapi -- --check`). */
const BY_FORMAT: Readonly<Record<string, string>> = {
  uuid: '3f6c2b9e-8a41-4d2f-9c57-1b0e6d4a7f21',
  'date-time': '2026-01-15T09:30:00.000Z',
  date: '2026-01-15',
  email: 'owner@example.com',
  uri: 'https://example.com/callback',
  url: 'https://example.com/callback',
  hostname: 'example.com',
  ipv4: '192.0.2.10',
  password: 'correct-horse-battery-staple',
  byte: 'ZXhhbXBsZQ==',
};
/** Tried in order against a `pattern` no format or DTO example covers (slugs, scopes, names, digits). */
const PATTERN_CANDIDATES = ['example-slug', 'catalog:read', 'example_name', '1234567890', 'Example'];

/**
 * Gives every request body and every response with content a media-type `example`, unless it has
 * one: built from the schema (the properties' own `example`s from @ApiProperty, else the first
 * enum value or the default, else null when nullable, else a value of the format and bounds).
 * An e2e test checks each example against its schema, so a value that cannot be built right
 * fails generation or that test rather than lying.
 */
export function withExamples(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const media: Array<[string, MediaType]> = [];
      const body = operation.requestBody as { content?: Record<string, MediaType> } | undefined;
      for (const [type, entry] of Object.entries(body?.content ?? {})) media.push([`${method} ${path} request ${type}`, entry]);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const [type, entry] of Object.entries((response as { content?: Record<string, MediaType> }).content ?? {})) media.push([`${method} ${path} ${status} ${type}`, entry]);
      }
      for (const [where, entry] of media) {
        if (entry.example !== undefined || entry.examples !== undefined || !entry.schema) continue;
        entry.example = new ExampleBuilder(schemas, where).build(entry.schema, []);
      }
    }
  }
  return document;
}

class ExampleBuilder {
  constructor(
    private readonly schemas: Record<string, Schema>,
    private readonly where: string,
  ) {}

  build(schema: Schema, refs: string[]): unknown {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.split('/').pop()!;
      if (refs.includes(name)) throw new Error(`${this.where}: recursive schema ${[...refs, name].join(' -> ')} needs an explicit example`);
      return this.build(this.schemas[name], [...refs, name]);
    }
    if (schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.allOf)) {
      const parts = (schema.allOf as Schema[]).map((member) => this.build(member, refs));
      return parts.every(isPlainObject) ? Object.assign({}, ...parts) : parts[parts.length - 1];
    }
    for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(schema[key])) return this.build((schema[key] as Schema[])[0], refs);
    if (Array.isArray(schema.enum)) return schema.enum.find((value) => value !== null) ?? null;
    if (schema.default !== undefined) return schema.default;
    // A nullable value with no example of its own is shown unset (revokedAt, lastUsedAt...).
    if (schema.nullable === true && schema.type !== 'object' && schema.type !== 'array') return null;
    switch (schema.type) {
      case 'object':
        return this.object(schema, refs);
      case 'array': {
        const item = this.build((schema.items as Schema | undefined) ?? {}, refs);
        return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () => item);
      }
      case 'string':
        return this.string(schema);
      case 'integer':
      case 'number':
        return numberWithin(schema);
      case 'boolean':
        return true;
      default:
        return schema.properties ? this.object(schema, refs) : schema.nullable === true ? null : {};
    }
  }

  private object(schema: Schema, refs: string[]): Record<string, unknown> {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    // Every declared property, so the example shows the whole shape; untyped ones only if required.
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return Object.fromEntries(
      Object.entries(properties)
        .filter(([name, property]) => required.has(name) || Object.keys(property).some((key) => key !== 'description'))
        .map(([name, property]) => [name, this.build(property, refs)]),
    );
  }

  private string(schema: Schema): string {
    const format = typeof schema.format === 'string' ? BY_FORMAT[schema.format] : undefined;
    const min = Number(schema.minLength ?? 0);
    const max = Number(schema.maxLength ?? Number.MAX_SAFE_INTEGER);
    const fits = (value: string) => value.length >= min && value.length <= max && (typeof schema.pattern !== 'string' || new RegExp(schema.pattern, 'u').test(value));
    const candidates = format ? [format] : ['example', ...PATTERN_CANDIDATES].map((value) => value.padEnd(min, 'x').slice(0, max));
    const value = candidates.find(fits);
    if (value === undefined) throw new Error(`${this.where}: no example fits ${JSON.stringify(schema)}; give the property an @ApiProperty example`);
    return value;
  }
}

function numberWithin(schema: Schema): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (minimum !== undefined) return schema.exclusiveMinimum === true ? minimum + 1 : minimum;
  if (maximum !== undefined && maximum < 1) return schema.exclusiveMaximum === true ? maximum - 1 : maximum;
  return 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
