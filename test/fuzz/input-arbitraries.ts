import fc from 'fast-check';
import { resolveSchema, type OpenApiDocument, type Operation, type Parameter, type Schema } from './openapi-operations';

/** Real ids and names of the fuzz tenant, so some requests get past "not found" to the rules behind. */
export interface KnownValues {
  idsByResource: Record<string, string[]>;
  allIds: string[];
  toolNames: string[];
  slugs: string[];
}

/** One generated request, without its credential. */
export interface GeneratedRequest {
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Strings that have broken services before: NUL, lone surrogates, look-alikes, numbers in disguise, sizes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'a\u0000b', '\u0000', '\ud800', 'x\udc00', '\ud83d', '💍', '\u202eevil', 'null', 'true', 'NaN', '1e21', '-1', '0x10', '9007199254740994'),
  fc.constantFrom('0000-01-01', '99999-12-31T00:00:00Z', '2026-02-30', '1969-12-31T23:59:59Z', 'xn--pple-43d', 'ab--cd', 'www', '../../etc/passwd', "' OR 1=1 --", '<script>', '\\', '"', '{}', '[]'),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0190A0B0-0000-7000-8000-00000000000Z'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), loneSurrogate), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.constantFrom(257, 10_001, 100_000).map((length) => 'x'.repeat(length)),
);

/** Values that a schema refuses (or that are hostile anyway): wrong types, nulls, extreme numbers. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(true, false, 0, -1, 1.5, -0.5, 1e21, -1e21, 2 ** 53 + 2, 2 ** 31, Number.MAX_VALUE, Number.MIN_VALUE),
  hostileString,
  fc.constantFrom([], {}, [null], [[[]]], { a: null }),
  fc.array(hostileString, { maxLength: 4 }),
  fc.object({ maxDepth: 2, maxKeys: 4 }),
);

/** Keys a client adds hoping the server takes them: foreign tenants, prototype pollution, oddities. */
const extraKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('tenantId', 'id', 'status', 'role', 'platformScopes', '__proto__', 'constructor', 'prototype', '', 'a.b', 'x'.repeat(300), 'k\u0000', '\ud800'),
  fc.string({ maxLength: 12 }),
);

/** JSON text for an object plus extra entries, written by hand: `__proto__` must stay an own key. */
function jsonWithExtras(base: unknown, extras: Array<[string, unknown]>): string {
  const baseText = JSON.stringify(base);
  if (extras.length === 0 || base === null || typeof base !== 'object' || Array.isArray(base)) return baseText;
  const added = extras.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',');
  return baseText === '{}' ? `{${added}}` : `${baseText.slice(0, -1)},${added}}`;
}

/** Bodies that stress the parser and the limits rather than one field. */
const worstCaseBody: fc.Arbitrary<{ payload: string; contentType?: string }> = fc.oneof(
  fc.constantFrom(1_000, 70_000).map((keys) => ({ payload: `{${Array.from({ length: keys }, (_, i) => `"k${i}":0`).join(',')}}` })),
  fc.constantFrom(1_001, 50_000).map((items) => ({ payload: `{"list":[${Array.from({ length: items }, () => '{}').join(',')}]}` })),
  fc.constantFrom(63, 65, 10_000).map((depth) => ({ payload: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` })),
  fc.constantFrom(30, 200).map((groups) => ({ payload: JSON.stringify({ groups: Array.from({ length: groups }, () => Array.from({ length: 100 }, () => 0)) }) })),
  fc.constantFrom(10_001, 900_000, 1_100_000).map((length) => ({ payload: JSON.stringify({ name: 'y'.repeat(length) }) })),
  fc.constantFrom('{', '{"a":}', '[1,]', '"\\ud800"', 'null', '', '\u0000', '{"a":1}{"b":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}').map((payload) => ({ payload })),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/xml').map((contentType) => ({ payload: '{"a":1}', contentType })),
);

/** Text just outside (or at) a schema's bounds, in the form a query string carries it. */
function boundaryText(schema: Schema): fc.Arbitrary<string> {
  const numbers = ['1e21', '1e20', '9007199254740994', '-1', '1.5', '0x10', '', ' 1', '1e2', '2147483648', '-0'];
  if (schema.type === 'integer' || schema.type === 'number') {
    const edges = [schema.minimum, schema.maximum].filter((edge): edge is number => edge !== undefined).flatMap((edge) => [edge - 1, edge, edge + 1].map(String));
    return fc.constantFrom(...numbers, ...edges);
  }
  if (schema.format === 'date-time') return fc.constantFrom('0000-01-01', '99999-12-31', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z', '2026-02-30', '1e21', '2026-01-01T25:00:00Z', 'now');
  if (schema.format === 'uuid') return fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', '0190a0b0-0000-7000-8000-00000000000', `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(13)}`);
  if (schema.enum) return fc.constantFrom(...schema.enum.map((value) => String(value).toLowerCase()), 'UNKNOWN', '');
  if (schema.type === 'boolean') return fc.constantFrom('TRUE', '1', 'yes', '');
  return hostileString;
}

/** The same as values in a JSON body: numbers past the bounds, date strings out of range. */
function boundaryValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.type === 'integer' || schema.type === 'number') {
    const edges = [schema.minimum, schema.maximum].filter((edge): edge is number => edge !== undefined).flatMap((edge) => [edge - 1, edge + 1, edge - 0.5]);
    return fc.constantFrom(1e21, -1e21, 2 ** 53 + 2, 2 ** 31, -1, 0.1, ...edges);
  }
  return boundaryText(schema);
}

export class InputArbitraries {
  constructor(
    private readonly document: OpenApiDocument,
    private readonly known: KnownValues,
  ) {}

  /** A value the schema accepts, as far as the OpenAPI document tells (examples, bounds, formats, enums). */
  valid(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = resolveSchema(this.document, raw);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const example = schema.example !== undefined ? [fc.constant(schema.example)] : [];
    switch (schema.type) {
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1_000, max: Math.min(schema.maximum ?? 1_000_000, 2 ** 31 - 1) });
      case 'number':
        return fc.oneof(fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 }), fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true }));
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items ?? {}, depth + 1), { maxLength: 4 });
      case 'object':
        return this.validObject(schema, depth);
      default:
        return fc.oneof(...example, this.validString(schema));
    }
  }

  private validString(schema: Schema): fc.Arbitrary<string> {
    if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...this.known.allIds), fc.uuid());
    if (schema.format === 'date-time') return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
    if (schema.format === 'password') return fc.string({ minLength: 1, maxLength: 40 });
    const example = typeof schema.example === 'string' ? schema.example : '';
    if (example.includes('@')) return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('example.com', 'example.org')).map(([local, domain]) => `fuzz-${local}@${domain}`);
    if (/^[a-z0-9-]+$/.test(example)) return fc.stringMatching(/^[a-z][a-z0-9-]{1,20}[a-z0-9]$/);
    return fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 40, 40) });
  }

  private validObject(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    if (Object.keys(properties).length === 0 || depth > 3) {
      return schema.example !== undefined ? fc.constant(schema.example) : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
    }
    const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, this.valid(property, depth + 1)]));
    return fc.record(model, { requiredKeys: schema.required ?? [] });
  }

  /** A JSON body: valid, one property broken or missing, extra properties, the wrong type, or a worst case. */
  body(schema: Schema | undefined): fc.Arbitrary<{ payload?: string; contentType?: string }> {
    if (!schema) {
      return fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: worstCaseBody }, { weight: 1, arbitrary: hostileValue.map((value) => ({ payload: JSON.stringify(value) ?? 'null' })) });
    }
    const resolved = resolveSchema(this.document, schema);
    const names = Object.keys(resolved.properties ?? {});
    const base = this.valid(resolved) as fc.Arbitrary<Record<string, unknown>>;
    const broken =
      names.length === 0
        ? base
        : fc
            .constantFrom(...names)
            .chain((name) => fc.tuple(base, fc.constant(name), fc.oneof(hostileValue, boundaryValue(resolveSchema(this.document, resolved.properties![name])), fc.constant(undefined))))
            .map(([value, name, replacement]) => {
            const copy = { ...value };
            if (replacement === undefined) delete copy[name];
            else copy[name] = replacement;
            return copy;
          });
    return fc.oneof(
      { weight: 3, arbitrary: base.map((value) => ({ payload: JSON.stringify(value) })) },
      { weight: 5, arbitrary: broken.map((value) => ({ payload: JSON.stringify(value) })) },
      { weight: 2, arbitrary: fc.tuple(base, fc.array(fc.tuple(extraKey, hostileValue), { minLength: 1, maxLength: 3 })).map(([value, extras]) => ({ payload: jsonWithExtras(value, extras) })) },
      { weight: 1, arbitrary: hostileValue.map((value) => ({ payload: JSON.stringify(value) ?? 'null' })) },
      { weight: 1, arbitrary: worstCaseBody },
    );
  }

  /** A path parameter's value: a real id or name, a random UUID, or something hostile. */
  pathValue(operation: Operation, parameter: Parameter): fc.Arbitrary<string> {
    const real = this.realValues(operation, parameter);
    return fc.oneof(
      { weight: 4, arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.uuid() },
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: hostileString.map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom('%00', '%ED%A0%80', '%FF', '%E0%A4%A', '..', '.', '%2F', '%252F', '%20') },
    );
  }

  private realValues(operation: Operation, parameter: Parameter): string[] {
    if (parameter.name === 'name') return this.known.toolNames;
    if (parameter.name === 'slug') return this.known.slugs;
    const resource = operation.path.replace(/^\/api\/v1\//, '').split('/{')[0];
    return this.known.idsByResource[resource] ?? [];
  }

  /** A query string: each declared parameter absent, valid or hostile, plus repeats and strangers. */
  query(operation: Operation): fc.Arbitrary<string> {
    const declared = operation.queryParameters.map((parameter) =>
      fc.option(
        fc.oneof(
          { weight: 3, arbitrary: this.valid(parameter.schema).map(queryText) },
          { weight: 2, arbitrary: boundaryText(resolveSchema(this.document, parameter.schema)) },
          { weight: 1, arbitrary: hostileString },
        ),
        { nil: undefined },
      ).map((value) => (value === undefined ? [] : [[parameter.name, value] as [string, string]])),
    );
    const strangers = fc.array(fc.tuple(fc.oneof(extraKey, fc.constantFrom(...operation.queryParameters.map((parameter) => parameter.name), 'offset', 'limit')), hostileString), { maxLength: 2 });
    return fc.tuple(fc.tuple(...declared), strangers).map(([pairs, extra]) => {
      const all = [...pairs.flat(), ...extra];
      return all.length === 0 ? '' : `?${all.map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(value)}`).join('&')}`;
    });
  }

  /** The whole request for an operation (the caller adds the credential). */
  request(operation: Operation): fc.Arbitrary<GeneratedRequest> {
    const path = fc.tuple(...operation.pathParameters.map((parameter) => this.pathValue(operation, parameter).map((value) => [parameter.name, value] as const)));
    const ifNoneMatch = operation.headerParameters.some((parameter) => parameter.name === 'If-None-Match') ? fc.option(hostileString.map(encodeHeader), { nil: undefined }) : fc.constant(undefined);
    return fc.tuple(path, this.query(operation), this.body(operation.method === 'GET' ? undefined : operation.body), ifNoneMatch, fc.boolean()).map(([values, query, body, etag, sendBody]) => {
      let url = operation.path;
      for (const [name, value] of values) url = url.replace(`{${name}}`, value);
      const headers: Record<string, string> = {};
      if (etag !== undefined) headers['if-none-match'] = etag;
      const withBody = operation.body !== undefined || (sendBody && body.payload !== undefined && operation.method !== 'GET');
      if (withBody && body.payload !== undefined) headers['content-type'] = body.contentType ?? 'application/json';
      return { url: url + query, headers, payload: withBody ? body.payload : undefined };
    });
  }
}

/** A query value from a generated one: numbers and booleans as their text. */
function queryText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Percent-encodes like encodeURIComponent; a lone surrogate (which it refuses) becomes its CESU-8 bytes. */
export function encodeSegment(value: string): string {
  let out = '';
  for (const character of value) {
    const code = character.charCodeAt(0);
    out += character.length === 1 && code >= 0xd800 && code <= 0xdfff ? `%ED%${(0xa0 + ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (code & 0x3f)).toString(16).toUpperCase()}` : encodeURIComponent(character);
  }
  return out;
}

/** A header can carry only visible ASCII (and spaces); anything else is sent percent-encoded. */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeSegment(value);
}
