import { MAX_ERROR_DETAILS, MAX_JSON_KEY_LENGTH } from '../constants';
import type { ErrorDetail } from '../errors/app-error';
import { CommonError, CommonErrorCode } from '../errors/common.errors';

/** What one request may send, checked once on the parsed body, query and path (AppConfig JSON_MAX_*). */
export interface InputLimits {
  maxDepth: number;
  maxKeys: number;
  maxArrayLength: number;
  maxStringLength: number;
  /** Values in all (object members and array items), which is what class-transformer's cost follows. */
  maxValues: number;
}

/** The message of every text refusal; PostgreSQL cannot store NUL, and lone surrogates are not UTF-8. */
export const TEXT_RULE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/** ES2024's String.prototype.isWellFormed (Node 20+), which the ES2023 typings lack. */
type WellFormedString = string & { isWellFormed(): boolean };

/** False for text PostgreSQL, JSONB and encodeURIComponent refuse: a NUL, or half of a surrogate pair. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && (value as WellFormedString).isWellFormed();
}

/**
 * One walk over a parsed value, linear in its size. A value over a limit throws 413 at once, naming
 * where (`settings.timezone`, `items.3`); text that cannot be stored is collected and thrown as one
 * 400 naming each field. Runs before validation, so class-transformer and class-validator (whose
 * costs grow faster than the input) only ever see bounded objects.
 */
export function assertWithinLimits(value: unknown, limits: InputLimits, what: 'body' | 'query string' | 'path' = 'body'): void {
  const textProblems: ErrorDetail[] = [];
  const path: string[] = [];
  const at = () => (path.length > 0 ? path.join('.') : undefined);
  const tooLarge = (message: string): never => {
    const field = at();
    throw new CommonError(CommonErrorCode.PAYLOAD_TOO_LARGE, 'Request exceeds an input limit', [field ? { field, message } : { message: `the ${what} ${message}` }]);
  };
  const badText = (message = TEXT_RULE) => {
    if (textProblems.length < MAX_ERROR_DETAILS) textProblems.push({ field: at(), message });
  };

  // Recursion is safe: the body parser refused anything deeper than maxDepth before JSON.parse.
  const visit = (node: unknown, depth: number): void => {
    if (typeof node === 'string') {
      if (node.length > limits.maxStringLength) tooLarge(`is longer than ${limits.maxStringLength} characters`);
      if (!isStorableText(node)) badText();
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (depth >= limits.maxDepth) tooLarge(`nests deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(node)) {
      if (node.length > limits.maxArrayLength) tooLarge(`has more than ${limits.maxArrayLength} items`);
      for (let index = 0; index < node.length; index++) {
        path.push(String(index));
        visit(node[index], depth + 1);
        path.pop();
      }
      return;
    }
    let keys = 0;
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      if (++keys > limits.maxKeys) tooLarge(`has more than ${limits.maxKeys} keys`);
      if (key.length > MAX_JSON_KEY_LENGTH) tooLarge(`has a key longer than ${MAX_JSON_KEY_LENGTH} characters`);
      if (!isStorableText(key)) {
        badText(`keys ${TEXT_RULE}`);
        continue;
      }
      path.push(key);
      visit((node as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  visit(value, 0);

  if (textProblems.length > 0) throw new CommonError(CommonErrorCode.VALIDATION_FAILED, 'Request validation failed', textProblems);
}
