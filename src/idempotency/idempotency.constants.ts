export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** 1-255 printable ASCII characters (Stripe allows 255). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
export const IDEMPOTENCY_METADATA = 'idempotency';

/**
 * Error codes whose answers are not stored: the request never started (its input was refused), so
 * a corrected retry with the same key must run. Every other 4xx the handler answers is stored and
 * replayed, like a success (Stripe's rule); 5xx are never stored (nothing committed; retry may work).
 */
export const UNSTORED_ERROR_CODES: ReadonlySet<string> = new Set([
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INVALID_IDEMPOTENCY_KEY',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
]);
