import { AppError } from '../common/errors/app-error';

export enum AuthErrorCode {
  /** No credential, or one that is malformed, forged, expired, revoked or from an ended session. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** Login failed; the same answer whether the email is unknown or the password wrong. */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /** The refresh token is unknown, expired, revoked, or was already used (its family is then revoked). */
  REFRESH_TOKEN_INVALID = 'REFRESH_TOKEN_INVALID',
  /** Authenticated, but this principal may not do this. */
  FORBIDDEN = 'FORBIDDEN',
  /** The user has no membership in the requested tenant. */
  MEMBERSHIP_REQUIRED = 'MEMBERSHIP_REQUIRED',
  /** X-Operator-Override is only honoured on GET and HEAD. */
  OPERATOR_OVERRIDE_READ_ONLY = 'OPERATOR_OVERRIDE_READ_ONLY',
  /** X-Operator-Override named something that is not a tenant. */
  OVERRIDE_TENANT_NOT_FOUND = 'OVERRIDE_TENANT_NOT_FOUND',
  /** The route has no access decorator: refused until it declares one (the strictest default). */
  ROUTE_ACCESS_UNDECLARED = 'ROUTE_ACCESS_UNDECLARED',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  /** The principal's tenant is suspended: its own principals are locked out until it is resumed. */
  TENANT_SUSPENDED = 'TENANT_SUSPENDED',
  /** The principal's tenant is being deprovisioned or is deleted. */
  TENANT_UNAVAILABLE = 'TENANT_UNAVAILABLE',
  /** A route for people only (confirming an agent's proposal) was called with an API key. */
  HUMAN_CONFIRMATION_REQUIRED = 'HUMAN_CONFIRMATION_REQUIRED',
  /** A key asked to create or rotate a key with a scope it does not hold itself. */
  API_KEY_SCOPE_NOT_HELD = 'API_KEY_SCOPE_NOT_HELD',
  /** A key asked to create or rotate a `*` key: only signed-in people make those. */
  WILDCARD_KEY_PEOPLE_ONLY = 'WILDCARD_KEY_PEOPLE_ONLY',
  /** A requested scope names no route's resource or action: it would grant nothing. */
  UNKNOWN_SCOPE = 'UNKNOWN_SCOPE',
  /** A key asked for a key that outlives it (no expiry, or a later one than its own). */
  API_KEY_OUTLIVES_CREATOR = 'API_KEY_OUTLIVES_CREATOR',
  /** A cookie session's write came from a page of another origin (or said nothing of its origin). */
  CSRF_ORIGIN_REFUSED = 'CSRF_ORIGIN_REFUSED',
  /** Signup's password is too weak. */
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  /** Every password-hashing slot and queue place is taken: refused without hashing (503, Retry-After). */
  AUTH_BUSY = 'AUTH_BUSY',
}

export class AuthError extends AppError<AuthErrorCode> {}
