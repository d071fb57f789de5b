/** Metadata key of @MemoizedQueryValidation(). */
const MEMOIZED_QUERY = Symbol('memoizedQueryValidation');

/** A DTO class, as Nest's ArgumentMetadata gives it. */
export type DtoClass = abstract new (...args: never[]) => object;

/** Distinct query strings remembered per DTO class; past this the oldest is forgotten. */
const MAX_ENTRIES_PER_CLASS = 256;

/**
 * Marks a query DTO whose validated value may be remembered per query string (the class itself, not
 * its subclasses: each one is reviewed and marked on its own):
 * its properties are strings, numbers, booleans or arrays of them, every rule on it is a pure
 * function of the value (no clock, no database), and its values are not secrets (they stay in
 * memory). ListPackagesQuery, say; not the webhook's query, which carries a verify token.
 */
export function MemoizedQueryValidation(): ClassDecorator {
  return (target) => Reflect.defineMetadata(MEMOIZED_QUERY, true, target);
}

/**
 * Validated query DTOs, by class and query string. The hot list endpoints answer the same few
 * query strings (`?limit=20`) over and over, and class-transformer plus class-validator cost about a
 * fifth of such a request's CPU (docs/benchmarks.md, "Query validation"). A hit returns a copy of
 * the DTO the pipe built for the same input; only successes are remembered, so a refused query is
 * validated (and refused) every time.
 */
export class QueryValidationMemo {
  private readonly byClass = new Map<DtoClass, Map<string, object>>();

  /** The memo key of `value` for `metatype`, or undefined when this query is not memoized. */
  keyOf(metatype: DtoClass | undefined, value: unknown): string | undefined {
    if (!metatype || Reflect.getOwnMetadata(MEMOIZED_QUERY, metatype) !== true) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    for (const field of Object.values(value)) {
      if (typeof field !== 'string' && !(Array.isArray(field) && field.every((item) => typeof item === 'string'))) return undefined;
    }
    return JSON.stringify(value);
  }

  get(metatype: DtoClass, key: string): object | undefined {
    const remembered = this.byClass.get(metatype)?.get(key);
    return remembered === undefined ? undefined : copy(remembered);
  }

  set(metatype: DtoClass, key: string, dto: object): void {
    if (!Object.values(dto).every(isFlat)) return;
    let entries = this.byClass.get(metatype);
    if (!entries) {
      entries = new Map<string, object>();
      this.byClass.set(metatype, entries);
    }
    if (entries.size >= MAX_ENTRIES_PER_CLASS) entries.delete(entries.keys().next().value!);
    entries.set(key, copy(dto));
  }
}

function isFlat(value: unknown): boolean {
  return value === null || typeof value !== 'object' || (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object'));
}

/** The same class and own properties; arrays copied, so a handler changing its DTO changes no other. */
function copy(dto: object): object {
  const copied = Object.create(Object.getPrototypeOf(dto) as object) as Record<string, unknown>;
  for (const [key, value] of Object.entries(dto)) copied[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  return copied;
}
