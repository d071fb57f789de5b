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

const keep = <T>(value: T): T => value;

/** `*.key` and `*.*.key` of a line: what pino's wildcard paths matched before. */
const nestedInLine = Redact({ paths: SECRET_KEYS.flatMap((key) => [`*.${key}`, `*.*.${key}`]), censor: LOG_CENSOR, serialize: keep, strict: false });
/** The same keys inside one serialized value (the `req`, `res` or `err` of a line). */
const nestedInValue = Redact({ paths: SECRET_KEYS.flatMap((key) => [key, `*.${key}`]), censor: LOG_CENSOR, serialize: keep, strict: false });

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * pino's `formatters.log`: the line's object with secret keys one and two levels down redacted (a
 * copy; the caller's object is untouched). pino calls it before its serializers, so `req`, `res`
 * and `err` are left to theirs (redactSerialized): redacting an Error here would copy it without its
 * message and stack, which are not enumerable.
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

/** A serializer's output with the secret keys in it and one level down redacted (a copy). */
export function redactSerialized<T>(value: T): T {
  return isObject(value) ? (nestedInValue(value) as T) : value;
}

/** Header names arrive in lower case, so the secret keys are matched so (`apikey` too, which the path `*.apiKey` missed). */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-api-key', ...SECRET_KEYS.map((key) => key.toLowerCase())]);

/**
 * The request's headers with the secret ones redacted. The request is bound to a child logger on
 * every request, so this is a loop over the headers rather than the path-based redactor above.
 */
export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers) return headers;
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(headers)) {
    if (!SECRET_HEADERS.has(name)) continue;
    copy ??= { ...headers };
    copy[name] = LOG_CENSOR;
  }
  return copy ?? headers;
}
