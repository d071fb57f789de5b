/** A JSON Schema node as the OpenAPI document writes it (OpenAPI 3.0 dialect). */
export type SchemaNode = Record<string, unknown>;

const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'] as const;
/** OpenAPI annotations JSON Schema 2019-09 does not know; they never constrain a value. */
const ANNOTATIONS_ONLY = new Set(['example', 'externalDocs', 'xml', 'discriminator']);

/**
 * Turns the OpenAPI schema of a response body into a self-contained JSON Schema 2019-09 that also
 * refuses what the document does not declare:
 * - every `$ref` is inlined (a recursive schema is refused: none exists today, and inlining it would
 *   never end);
 * - `nullable: true` becomes a `null` alternative (see withNull);
 * - an object schema without its own `additionalProperties` gets `additionalProperties: false`,
 *   except a member of `allOf`/`anyOf`/`oneOf`: there the composing schema gets
 *   `unevaluatedProperties: false`, which sees the properties every applicable member declares (a
 *   member made strict alone would refuse its siblings' properties).
 */
export function strictResponseSchema(schema: SchemaNode, components: Record<string, SchemaNode>): SchemaNode {
  return new StrictSchemaBuilder(components).build(schema, false, []);
}

class StrictSchemaBuilder {
  constructor(private readonly components: Record<string, SchemaNode>) {}

  build(node: SchemaNode, composedMember: boolean, refs: string[]): SchemaNode {
    if (typeof node.$ref === 'string') {
      // OpenAPI 3.0 ignores a $ref's siblings; `nullable` beside one is still meant (Nest writes it).
      const target = this.build(this.resolve(node.$ref, refs), composedMember, [...refs, node.$ref]);
      return node.nullable === true ? withNull(target) : target;
    }
    if ('not' in node) throw new Error('`not` in a response schema: strictness inside it would turn into leniency');

    const out: SchemaNode = {};
    for (const [key, value] of Object.entries(node)) {
      if (ANNOTATIONS_ONLY.has(key) || key.startsWith('x-') || key === 'nullable') continue;
      out[key] = (COMPOSITIONS as readonly string[]).includes(key)
        ? (value as SchemaNode[]).map((member) => this.build(member, true, refs))
        : this.child(key, value, refs);
    }

    const composed = COMPOSITIONS.some((key) => Array.isArray(out[key]));
    const declaresExtras = 'additionalProperties' in node || 'unevaluatedProperties' in node;
    if (!composedMember && !declaresExtras) {
      if (composed && (isObjectSchema(node) || hasObjectMember(out))) out.unevaluatedProperties = false;
      else if (!composed && isObjectSchema(node)) out.additionalProperties = false;
    }
    return node.nullable === true ? withNull(out) : out;
  }

  /** The sub-schemas under one keyword, each built as a schema of its own (not a composed member). */
  private child(key: string, value: unknown, refs: string[]): unknown {
    switch (key) {
      case 'properties':
      case 'patternProperties':
        return Object.fromEntries(Object.entries(value as Record<string, SchemaNode>).map(([name, schema]) => [name, this.build(schema, false, refs)]));
      case 'items':
        return Array.isArray(value) ? value.map((item: SchemaNode) => this.build(item, false, refs)) : this.build(value as SchemaNode, false, refs);
      case 'additionalProperties':
        return typeof value === 'object' && value !== null ? this.build(value as SchemaNode, false, refs) : value;
      default:
        return value;
    }
  }

  private resolve(ref: string, refs: string[]): SchemaNode {
    if (refs.includes(ref)) throw new Error(`recursive schema ${[...refs, ref].join(' -> ')} cannot be inlined`);
    const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
    const target = match ? this.components[match[1]] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  }
}

function hasObjectMember(node: SchemaNode): boolean {
  return COMPOSITIONS.some((key) => Array.isArray(node[key]) && (node[key] as SchemaNode[]).some((member) => isObjectSchema(member) || hasObjectMember(member)));
}

function isObjectSchema(node: SchemaNode): boolean {
  const type = node.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || (typeof node.properties === 'object' && type === undefined);
}

/**
 * OpenAPI 3.0's `nullable` as JSON Schema: `null` joins the types (and the enum); beside `$ref` or a
 * composition it makes the whole schema an alternative to `null` (how Nest writes a nullable nested
 * DTO, and how openapi-typescript reads it: `X | null`).
 */
function withNull(node: SchemaNode): SchemaNode {
  if (typeof node.type === 'string' && !COMPOSITIONS.some((key) => key in node)) {
    const out: SchemaNode = { ...node, type: [node.type, 'null'] };
    if (Array.isArray(node.enum) && !node.enum.includes(null)) out.enum = [...(node.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [node, { type: 'null' }] };
}
