import { INestApplication, ParseUUIDPipe, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
// class-transformer keeps @Type() in its own storage; its public API has no lookup.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { HTTP_METHODS } from './error-responses';

/** The parts of a JSON Schema this step writes. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  default?: unknown;
  items?: Schema;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
}

type Keyword = Exclude<keyof Schema, '$ref' | 'items' | 'allOf' | 'properties' | 'additionalProperties' | 'default'>;

/** What one class-validator rule says in JSON Schema. Rules not here (IsOptional, ValidateIf, custom ones) say nothing. */
function keywordsOf(rule: ValidationMetadata): Partial<Record<Keyword, unknown>> {
  const [first, second] = (rule.constraints ?? []) as unknown[];
  switch (rule.name) {
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isInt':
      return { type: 'integer' };
    case 'minLength':
      return { minLength: first };
    case 'maxLength':
      return { maxLength: first };
    case 'isLength':
      return { minLength: first, ...(second === undefined ? {} : { maxLength: second }) };
    case 'matches':
      // JSON Schema patterns have no flags: a case-insensitive rule would be documented wrong.
      if (first instanceof RegExp && /[^u]/.test(first.flags)) throw new Error(`A @Matches pattern with flags (${String(first)}) has no JSON Schema equivalent`);
      return { pattern: first instanceof RegExp ? first.source : String(first) };
    case 'isEmail':
      return { format: 'email' };
    case 'isUUID':
      return { format: 'uuid' };
    case 'isFQDN':
      return { format: 'hostname' };
    case 'isDate':
      return { format: 'date-time' };
    case 'isIn':
      return { enum: first };
    case 'isEnum':
      return { enum: enumValues(first as Record<string, unknown>) };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'arrayMinSize':
      return { minItems: first };
    case 'arrayMaxSize':
      return { maxItems: first };
    case 'arrayUnique':
      return { uniqueItems: true };
    default:
      return {};
  }
}

/** A TypeScript enum's values (numeric enums also map values back to names: skipped). */
function enumValues(entity: Record<string, unknown>): unknown[] {
  return Object.entries(entity).filter(([key]) => !/^\d+$/.test(key)).map(([, value]) => value);
}

const atLeast = (declared: number, enforced: number) => declared >= enforced;
const atMost = (declared: number, enforced: number) => declared <= enforced;
const NARROWER: Partial<Record<Keyword, (declared: number, enforced: number) => boolean>> = {
  minLength: atLeast,
  minimum: atLeast,
  minItems: atLeast,
  maxLength: atMost,
  maximum: atMost,
  maxItems: atMost,
};

const ARRAY_KEYWORDS = new Set<Keyword>(['minItems', 'maxItems', 'uniqueItems']);

/**
 * Writes one property's rules into its schema. A keyword the @ApiProperty already states must say
 * the same as the validator, else generation fails: the document may not promise what the server
 * does not enforce (or the reverse).
 */
function applyRules(where: string, schema: Schema, rules: ValidationMetadata[]): void {
  for (const rule of rules) {
    const keywords = keywordsOf(rule);
    for (const [key, value] of Object.entries(keywords) as Array<[Keyword, unknown]>) {
      if (value === undefined) continue;
      // `each: true` rules apply to the items of an array (ARRAY_KEYWORDS are about the array itself).
      const target = rule.each && !ARRAY_KEYWORDS.has(key) && schema.type === 'array' ? (schema.items ??= {}) : schema;
      if (target.$ref || target.allOf) continue;
      // A date-time is declared as a string: the validator sees the Date the transform made.
      if (key === 'type' && target.type !== undefined) continue;
      const current = target[key];
      // A narrower bound in @ApiProperty is a rule the service enforces beyond the DTO (the password policy's length).
      if (typeof current === 'number' && typeof value === 'number' && (NARROWER[key]?.(current, value) ?? false)) continue;
      if (current !== undefined && JSON.stringify(current) !== JSON.stringify(value)) {
        throw new Error(`OpenAPI and class-validator disagree on ${where}.${key}: ${JSON.stringify(current)} vs ${JSON.stringify(value)}`);
      }
      (target as Record<string, unknown>)[key] = value;
      if (key === 'format' && value === 'date-time') target.type = 'string';
    }
  }
}

/** class-validator's rules of a class (its parents' included), by property. */
function rulesOf(target: Type<unknown>): Map<string, ValidationMetadata[]> {
  const storage = getMetadataStorage();
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of storage.getTargetValidationMetadatas(target, '', true, false)) {
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  }
  return byProperty;
}

interface HandlerInputs {
  body?: Type<unknown>;
  query?: Type<unknown>;
  uuidParams: string[];
}

/** Each operation's body and query DTO classes and its ParseUUIDPipe path parameters, read from the route metadata. */
function handlerInputs(app: INestApplication): Map<string, HandlerInputs> {
  const byOperation = new Map<string, HandlerInputs>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const operationId = (Reflect.getMetadata('swagger/apiOperation', handler) as { operationId?: string } | undefined)?.operationId;
        if (!operationId) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }>;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as Array<Type<unknown>>;
        const inputs: HandlerInputs = { uuidParams: [] };
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]) as RouteParamtypes;
          if (kind === RouteParamtypes.BODY && arg.data === undefined) inputs.body = types[arg.index];
          if (kind === RouteParamtypes.QUERY && arg.data === undefined) inputs.query = types[arg.index];
          if (kind === RouteParamtypes.PARAM && typeof arg.data === 'string' && (arg.pipes ?? []).some((pipe) => pipe === ParseUUIDPipe || pipe instanceof ParseUUIDPipe)) {
            inputs.uuidParams.push(arg.data);
          }
        }
        byOperation.set(operationId, inputs);
      }
    }
  }
  return byOperation;
}

function refName(schema: Schema | undefined): string | undefined {
  const ref = schema?.$ref ?? (schema?.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  return ref?.split('/').pop();
}

/**
 * The constraints the server enforces, in the document: class-validator's rules of every request
 * body DTO (nested DTOs too) and query DTO become JSON Schema keywords, path ids checked by
 * ParseUUIDPipe get `format: uuid`, and request bodies get `additionalProperties: false` (the
 * validation pipe refuses unknown fields: forbidNonWhitelisted). PATCH bodies carry no `default`:
 * an absent field is left unchanged, not set to a default.
 */
export function withValidationConstraints(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const inputs = handlerInputs(app);
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const done = new Set<string>();
  const patchBodies = new Set<string>();

  const constrainBody = (name: string, type: Type<unknown>) => {
    if (done.has(name)) return;
    done.add(name);
    const schema = schemas[name];
    if (!schema) return;
    schema.additionalProperties = false;
    const rules = rulesOf(type);
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      applyRules(`${name}.${property}`, propertySchema, rules.get(property) ?? []);
      // Nested DTOs (ValidateNested + Type): the validator checks them with the same options.
      const nested = refName(propertySchema) ?? refName(propertySchema.items);
      const nestedType = nestedTypeOf(type, property);
      if (nested && nestedType) constrainBody(nested, nestedType);
    }
  };

  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      const found = inputs.get(operation.operationId);
      if (!found) continue;
      const body = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.['application/json']?.schema;
      const bodyName = refName(body);
      if (found.body && bodyName) {
        constrainBody(bodyName, found.body);
        if (method === 'patch') patchBodies.add(bodyName);
      }
      const queryRules = found.query ? rulesOf(found.query) : new Map<string, ValidationMetadata[]>();
      for (const parameter of (operation.parameters ?? []) as Array<{ name: string; in: string; schema?: Schema }>) {
        parameter.schema ??= {};
        if (parameter.in === 'query') applyRules(`${operation.operationId}?${parameter.name}`, parameter.schema, queryRules.get(parameter.name) ?? []);
        if (parameter.in === 'path' && found.uuidParams.includes(parameter.name)) parameter.schema.format = 'uuid';
      }
    }
  }
  for (const name of patchBodies) {
    for (const property of Object.values(schemas[name]?.properties ?? {})) delete property.default;
  }
  return document;
}

/** The class a nested DTO property is transformed to (class-transformer's @Type), if any. */
function nestedTypeOf(type: Type<unknown>, property: string): Type<unknown> | undefined {
  const typed = defaultMetadataStorage.findTypeMetadata(type, property)?.typeFunction() as Type<unknown> | undefined;
  if (typed) return typed;
  const designType = Reflect.getMetadata('design:type', type.prototype as object, property) as Type<unknown> | undefined;
  return designType && designType !== Array && designType !== Object ? designType : undefined;
}
