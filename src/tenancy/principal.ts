import type { MembershipRole, TenantStatus } from '../generated/prisma/enums';

/** A person signed in with a JWT (bearer header or the session cookie). */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  /** The tenant the session is in; null for an operator session that has none. */
  tenantId: string | null;
  /** Live role in `tenantId`, read from the membership on every request (not from the token). */
  role: MembershipRole | null;
  /** `tenantId`'s lifecycle status, read with the role (null without a tenant). */
  tenantStatus: TenantStatus | null;
  /** `tenantId`'s own request budget a minute, read with the role; null: the platform default. */
  tenantRateLimitPerMinute: number | null;
  sessionVersion: number;
  /** The refresh-token family this session belongs to (logout ends it). */
  sessionId: string;
  platformScopes: readonly string[];
  /** How the access token arrived; cookie sessions must also carry a valid `tenant_sig`. */
  via: 'bearer' | 'cookie';
}

/** A tenant's API key (`sk_…`). */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  apiKeyId: string;
  tenantId: string;
  /** The key's tenant's lifecycle status, read with the key. */
  tenantStatus: TenantStatus;
  /** The key's tenant's own request budget a minute, read with the key; null: the platform default. */
  tenantRateLimitPerMinute: number | null;
  scopes: readonly string[];
  /** When the key stops working (null: never); keys it creates may not outlive it. */
  expiresAt: Date | null;
}

/** Another service, acting at platform level with its own scopes. */
export interface ServiceAccountPrincipal {
  kind: 'service_account';
  serviceAccountId: string;
  scopes: readonly string[];
}

/**
 * The platform itself, for work no request principal does: provisioning steps, lifecycle clean-up,
 * tooling. Never produced by authentication; audit events record it as SYSTEM.
 */
export interface SystemPrincipal {
  kind: 'system';
}

export const SYSTEM_PRINCIPAL: SystemPrincipal = Object.freeze({ kind: 'system' });

export type Principal = UserPrincipal | ApiKeyPrincipal | ServiceAccountPrincipal | SystemPrincipal;

/** Who is calling and for which tenant: decided once per request from the verified credential. */
export interface RequestAccess {
  principal: Principal;
  /** The tenant whose data this request may reach, or null (platform and session routes). */
  tenantId: string | null;
  /** An operator reading `tenantId` through X-Operator-Override (read-only). */
  operatorOverride: boolean;
}

/** The id recorded as the actor in logs and audit events (none for the system). */
export function actorIdOf(principal: Principal): string | null {
  switch (principal.kind) {
    case 'user':
      return principal.userId;
    case 'api_key':
      return principal.apiKeyId;
    case 'service_account':
      return principal.serviceAccountId;
    case 'system':
      return null;
  }
}
