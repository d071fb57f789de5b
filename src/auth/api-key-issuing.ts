import type { Principal } from '../tenancy/principal';
import { canonicalScope, coversScope } from './api-key-scopes';
import { API_KEY_WILDCARD_SCOPE } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';

/** What a new or rotated key would hold. */
export interface IssuedKey {
  scopes: readonly string[];
  expiresAt: Date | null;
}

/**
 * A key that manages keys (`api-keys:write`) must not mint more than it has, or a leaked narrow key
 * becomes the tenant: it may only create or rotate keys whose scopes are within its own and that do
 * not outlive it, and never a `*` key (people only). Signed-in admins may issue anything.
 */
export function assertMayIssue(actor: Principal, key: IssuedKey): void {
  if (actor.kind !== 'api_key') return;
  const scopes = key.scopes.map(canonicalScope);
  if (scopes.includes(API_KEY_WILDCARD_SCOPE)) {
    throw new AuthError(AuthErrorCode.WILDCARD_KEY_PEOPLE_ONLY, 'Only a signed-in person can create or rotate a key with the "*" scope; name the scopes the key needs');
  }
  const notHeld = scopes.filter((scope) => !coversScope(actor.scopes, scope));
  if (notHeld.length > 0) {
    throw new AuthError(
      AuthErrorCode.API_KEY_SCOPE_NOT_HELD,
      'A key can only create or rotate keys whose scopes are within its own',
      notHeld.map((scope) => ({ field: 'scopes', message: `${scope} is not held by the calling key` })),
    );
  }
  if (actor.expiresAt && (key.expiresAt === null || key.expiresAt > actor.expiresAt)) {
    throw new AuthError(
      AuthErrorCode.API_KEY_OUTLIVES_CREATOR,
      `A key can only create or rotate keys that expire no later than itself (${actor.expiresAt.toISOString()})`,
      [{ field: 'expiresAt', message: `must be at most ${actor.expiresAt.toISOString()}` }],
    );
  }
}
