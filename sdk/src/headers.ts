/** Makes a POST/PATCH safe to retry: a repeat within 24 h gets the first answer again. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set to `true` on an answer replayed for a repeated Idempotency-Key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** An operator reading one tenant's data (GET/HEAD only; audited). */
export const OPERATOR_OVERRIDE_HEADER = 'X-Operator-Override';

/**
 * The `Idempotency-Key` parameter of one call, a fresh random key unless given:
 * `client.POST('/api/v1/packages', { params: { header: idempotencyKey() }, body })`. Keep the key
 * to retry the same request after a timeout or a dropped connection.
 */
export function idempotencyKey(key: string = globalThis.crypto.randomUUID()): { 'Idempotency-Key': string } {
  return { [IDEMPOTENCY_KEY_HEADER]: key };
}

/**
 * Headers that make one read act on another tenant, for operators:
 * `client.GET('/api/v1/packages', { headers: operatorOverride(tenantId) })`. The API refuses the
 * header on writes (403 OPERATOR_OVERRIDE_READ_ONLY) instead of writing into the operator's own tenant.
 */
export function operatorOverride(tenantId: string): { 'X-Operator-Override': string } {
  return { [OPERATOR_OVERRIDE_HEADER]: tenantId };
}

/** True when the answer is a replay of an earlier request with the same Idempotency-Key. */
export function wasReplayed(response: Response): boolean {
  return response.headers.get(IDEMPOTENT_REPLAYED_HEADER) === 'true';
}
