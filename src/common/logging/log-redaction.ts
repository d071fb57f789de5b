import Redact from '@pinojs/redact';

/** Keys whose values never reach a log line, up to two levels below a logged object's own keys (docs/security.md). */
export const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'secretKey',
  'apiKey',
  'authorization',
  'cookie',
];

export const LOG_CENSOR = '[redacted]';

/**
 * What pino's own `redact` option covers: the credential headers and a secret key at the top of a
 * line. No wildcard path is here on purpose: pino applies its redaction to every child logger's
 * bindings when the child is made, and pino-http makes two children per request, so wildcard paths
 * (`*.password`, `*.*.password`, …) cost every request 14-17 µs and most of the logging's allocation
 * even where no line is written (docs/benchmarks.md, "Nested secrets redacted when a line is
 * written"). The nested keys are redacted below, by the same library, when a line is written.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
];

/** A redactor of SECRET_KEYS at the given depths (`''` the object's own keys, `'*.'` one level down…), returning a redacted copy. */
const secretsAt = (...depths: string[]) =>
  Redact({ paths: SECRET_KEYS.flatMap((key) => depths.map((depth) => `${depth}${key}`)), censor: LOG_CENSOR, serialize: (value: unknown) => value, strict: false });

/** `*.key` and `*.*.key` of a line: what pino's wildcard paths matched before. */
const nestedInLine = secretsAt('*.', '*.*.');
/** The same keys inside one serialized value (the `err` of a line). */
const nestedInValue = secretsAt('', '*.');
/** An object interpolated into the message (`%o`, `%j`) or logged as the message: what pino's redact paths matched in one before. */
const inMessage = secretsAt('', '*.', '*.*.');

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * pino's `formatters.log`: the line's object with secret keys one and two levels down redacted, in a
 * copy. (Where a secret key holds an object that holds another, @pinojs/redact writes the inner
 * censor into the caller's object, as pino's own redaction did.) pino calls this before its
 * serializers, so `req`, `res` and `err` are left to theirs: redacting an Error here would copy it
 * without its message and stack, which are not enumerable.
 */
export function redactLine(line: Record<string, unknown>): Record<string, unknown> {
  const { req, res, err, ...rest } = line;
  if (!Object.values(rest).some(isObject)) return line;
  const redacted = nestedInLine(rest) as Record<string, unknown>;
  if (req !== undefined) redacted.req = req;
  if (res !== undefined) redacted.res = res;
  if (err !== undefined) redacted.err = err;
  return redacted;
}

/** A serializer's output (the `err` of a line) with the secret keys in it and one level down redacted (a copy). */
export function redactSerialized<T>(value: T): T {
  return isObject(value) ? (nestedInValue(value) as T) : value;
}

/**
 * pino's `hooks.logMethod`, which runs for each line about to be written: objects interpolated into
 * the message (`%o`, `%j`) or logged as the message itself are redacted too. pino formats them with
 * its own redact paths, which no longer hold the nested keys. Only plain objects and arrays are
 * redacted: a copy of an Error, a URL or a Buffer would lose what makes it one (its message and
 * stack, its private fields) and then fail to format, and `%s` shows those as strings anyway.
 */
export function redactMessageArguments(this: unknown, args: unknown[], write: (...args: unknown[]) => void): void {
  // pino's call shapes: (object, message, ...values) or (message, ...values).
  const message = typeof args[0] === 'object' ? 1 : 0;
  const redacted = args.map((arg, i) => (i >= message && isPlain(arg) ? inMessage(arg) : arg));
  write.apply(this, redacted);
}

function isPlain(value: unknown): value is object {
  if (!isObject(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
}

/** Header names arrive in lower case, so the secret keys are matched in lower case too (`apikey`, which the path `*.apiKey` missed). */
const SECRET_NAMES = new Set(['x-api-key', ...SECRET_KEYS, ...SECRET_KEYS.map((key) => key.toLowerCase())]);

const isRecord = (value: unknown): value is Record<string, unknown> => isObject(value) && !Array.isArray(value);

/** A copy of `record` with its secret keys redacted; `record` itself when it has none. */
function withoutSecretNames(record: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(record)) {
    if (!SECRET_NAMES.has(name)) continue;
    copy ??= { ...record };
    copy[name] = LOG_CENSOR;
  }
  return copy ?? record;
}

/**
 * A serialized request or response (pino's: method, url, headers, params…; status and headers) with
 * secret keys redacted in it and one level down (headers, params), in place: the serializers hand
 * over objects of their own. The request is bound to a child logger on every request and the
 * response is on every closing line, so this is a loop over the keys rather than the path-based
 * redactor above (docs/benchmarks.md, "Nested secrets redacted when a line is written").
 */
export function redactHttpFields<T extends Record<string, unknown>>(serialized: T): T {
  const fields = serialized as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (SECRET_NAMES.has(name)) fields[name] = LOG_CENSOR;
    else if (isRecord(value)) fields[name] = withoutSecretNames(value);
  }
  return serialized;
}
