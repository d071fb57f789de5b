import type { OpenAPIObject } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { HTTP_METHODS } from './error-responses';
import type { Schema } from './validation-constraints';

const UUID_LENGTH = 36;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * Every string and array a client sends is bounded by the input limits (common/http/input-limits.ts:
 * JSON_MAX_STRING_LENGTH, JSON_MAX_ARRAY_LENGTH; over them is 413) even where its DTO sets no
 * tighter bound: the document states the default configuration's bound there, and a uuid's length.
 */
export function withInputBounds(document: OpenAPIObject): OpenAPIObject {
  const defaults = new AppConfig();
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<Schema>();
  const bound = (schema: Schema | undefined): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    if (schema.$ref) return bound(schemas[schema.$ref.split('/').pop()!]);
    for (const part of schema.allOf ?? []) bound(part);
    if (schema.type === 'string' && schema.maxLength === undefined && schema.enum === undefined) {
      if (schema.format === 'uuid') {
        schema.minLength = UUID_LENGTH;
        schema.maxLength = UUID_LENGTH;
      } else {
        schema.maxLength = defaults.JSON_MAX_STRING_LENGTH;
      }
    }
    if (schema.type === 'array' && schema.maxItems === undefined) schema.maxItems = defaults.JSON_MAX_ARRAY_LENGTH;
    bound(schema.items);
    for (const property of Object.values(schema.properties ?? {})) bound(property);
  };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const parameter of (operation.parameters ?? []) as Array<{ schema?: Schema }>) bound(parameter.schema);
      const content = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content ?? {};
      for (const media of Object.values(content)) bound(media.schema);
    }
  }
  return withIntegerFormats(document);
}

/** `format: int32` where the bounds fit, else `int64`, on every integer (clients pick their number type from it). */
function withIntegerFormats(document: OpenAPIObject): OpenAPIObject {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const schema = value as Schema;
    if (schema.type === 'integer' && schema.format === undefined) {
      const fits = schema.minimum !== undefined && schema.maximum !== undefined && schema.minimum >= INT32.min && schema.maximum <= INT32.max;
      schema.format = fits ? 'int32' : 'int64';
    }
    Object.values(value).forEach(walk);
  };
  walk(document);
  return document;
}
