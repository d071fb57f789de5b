import { API_KEY_WILDCARD_SCOPE } from './auth.constants';

/**
 * The one grammar of API-key scopes, applied when a key is created and by AccessGuard alike
 * (docs/security.md, "Scopes"):
 *
 * - `*`: the whole tenant API. Only a signed-in person may create or rotate such a key.
 * - `resource` (`catalog`, `agent`): every action of that resource (`catalog:read`, `catalog:write`).
 * - `resource:action` (`catalog:read`): that action only.
 * - `resource:*` means the bare `resource`; keys are stored with the bare form.
 *
 * Routes name the `resource:action` they need; a key holds it if it has `*`, the resource, or the
 * action itself.
 */
export const SCOPE_SYNTAX = /^(?:\*|[a-z][a-z0-9-]*(?::(?:\*|[a-z][a-z0-9-]*))?)$/;

/** The stored form: `agent:*` becomes `agent`. Keys stored before the grammar said so read the same. */
export function canonicalScope(scope: string): string {
  return scope.endsWith(':*') ? scope.slice(0, -2) : scope;
}

function resourceOf(scope: string): string {
  const colon = scope.indexOf(':');
  return colon === -1 ? scope : scope.slice(0, colon);
}

/** Whether `held` lets its key do what `needed` (a route's `resource:action`) names. */
export function grantsScope(held: readonly string[], needed: string): boolean {
  const scopes = held.map(canonicalScope);
  return scopes.includes(API_KEY_WILDCARD_SCOPE) || scopes.includes(needed) || scopes.includes(resourceOf(needed));
}

/**
 * Whether a key holding `held` may hand out `requested` (to a key it creates or rotates): every
 * action `requested` grants must be granted by `held` too. A bare resource needs the resource or `*`.
 */
export function coversScope(held: readonly string[], requested: string): boolean {
  const scope = canonicalScope(requested);
  const scopes = held.map(canonicalScope);
  if (scopes.includes(API_KEY_WILDCARD_SCOPE)) return true;
  if (scope === API_KEY_WILDCARD_SCOPE) return false;
  return scope.includes(':') ? grantsScope(scopes, scope) : scopes.includes(scope);
}

/** Whether `held` grants any action of `resource` (people-only routes: the key may ask, and is told no). */
export function holdsResource(held: readonly string[], resource: string): boolean {
  return held.map(canonicalScope).some((scope) => scope === API_KEY_WILDCARD_SCOPE || resourceOf(scope) === resource);
}
