import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { MetricsService } from '../metrics/metrics.service';
import { TenantLookupService } from '../provisioning/tenant-lookup.service';
import type { ApiKeyPrincipal, Principal, ServiceAccountPrincipal, UserPrincipal } from '../tenancy/principal';
import { DenialReason } from '../tenancy/tenancy.constants';
import { AccessTokenService } from './access-token.service';
import { ApiKeysRepository } from './api-keys.repository';
import { ACCESS_TOKEN_COOKIE, LAST_USED_WRITE_INTERVAL_MS } from './auth.constants';
import { AuthError, AuthErrorCode } from './auth.errors';
import { CredentialCache } from './credential-cache.service';
import { parseKeySecret, secretMatches } from './secret-tokens';
import { ServiceAccountsRepository } from './service-accounts.repository';
import { UsersRepository } from './users.repository';

const BEARER = /^Bearer ([\x21-\x7e]+)$/;

/**
 * Wall 2 (docs/security.md): turns the credential a request presents into a verified principal.
 * Access tokens are checked against live data on every request (session version, session not
 * logged out, membership and role in the token's tenant), so revocation takes effect at once.
 * Tenant API keys come from CredentialCache, which revocation and rotation invalidate on every
 * replica; their tenant's status and rate limit come from TenantLookupService.state(), which every
 * change of either invalidates on every replica.
 */
@Injectable()
export class CredentialService {
  private readonly logger = new Logger(CredentialService.name);

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly users: UsersRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly serviceAccounts: ServiceAccountsRepository,
    private readonly keyCache: CredentialCache,
    private readonly tenants: TenantLookupService,
    private readonly metrics: MetricsService,
  ) {}

  /** The verified principal, or null when the request presents no credential at all. */
  async authenticate(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const bearer = BEARER.exec(header)?.[1];
      if (!bearer) throw unauthenticated('Authorization must be "Bearer <token>"');
      return bearer.startsWith('sk_') ? this.fromKey(bearer) : this.fromAccessToken(bearer, 'bearer');
    }
    const cookie = request.cookies[ACCESS_TOKEN_COOKIE];
    return cookie ? this.fromAccessToken(cookie, 'cookie') : null;
  }

  private async fromAccessToken(token: string, via: UserPrincipal['via']): Promise<UserPrincipal> {
    const claims = await this.tokens.verify(token);
    const state = await this.users.sessionState(claims.userId, claims.tenantId, claims.sessionId);
    if (!state || state.sessionVersion !== claims.sessionVersion) throw unauthenticated('Session has ended');
    if (!state.sessionLive) throw unauthenticated('Session has ended');
    if (claims.tenantId && !state.role) {
      this.metrics.isolationDenied(DenialReason.MEMBERSHIP);
      throw unauthenticated('No longer a member of this tenant');
    }
    return {
      kind: 'user',
      userId: claims.userId,
      tenantId: claims.tenantId,
      role: state.role,
      tenantStatus: claims.tenantId ? state.tenantStatus : null,
      tenantRateLimitPerMinute: claims.tenantId ? state.tenantRateLimitPerMinute : null,
      sessionVersion: state.sessionVersion,
      sessionId: claims.sessionId,
      platformScopes: state.platformScopes,
      via,
    };
  }

  private async fromKey(secret: string): Promise<ApiKeyPrincipal | ServiceAccountPrincipal> {
    const parsed = parseKeySecret(secret);
    if (!parsed) throw unauthenticated('Invalid API key');
    const now = new Date();
    if (parsed.owner === 'service') {
      const account = await this.serviceAccounts.findByPublicId(parsed.publicId);
      if (!account || !secretMatches(secret, account.secretHash) || account.revokedAt) throw unauthenticated('Invalid API key');
      if (isStale(account.lastUsedAt, now)) this.inBackground(this.serviceAccounts.touch(account.id, now));
      return { kind: 'service_account', serviceAccountId: account.id, scopes: account.scopes };
    }
    const key = await this.keyCache.apiKey(parsed.publicId, () => this.apiKeys.findForAuthentication(parsed.publicId));
    if (!key || !secretMatches(secret, key.secretHash) || key.revokedAt) throw unauthenticated('Invalid API key');
    if (key.expiresAt && key.expiresAt <= now) throw unauthenticated('API key expired');
    const tenant = await this.tenants.state(key.tenantId, () => this.apiKeys.tenantState(key.tenantId));
    // Finalize deletes a tenant's keys; a cached row can outlive them, so a DELETED tenant's key is
    // as unknown as one that was never issued (401, not the 403 of a suspended tenant).
    if (!tenant || tenant.status === 'DELETED') throw unauthenticated('Invalid API key');
    if (this.keyCache.shouldRecordUse(parsed.publicId, now.getTime())) this.inBackground(this.apiKeys.touch(key.tenantId, key.id, now));
    return {
      kind: 'api_key',
      apiKeyId: key.id,
      tenantId: key.tenantId,
      tenantStatus: tenant.status,
      tenantRateLimitPerMinute: tenant.rateLimitPerMinute,
      scopes: key.scopes,
      expiresAt: key.expiresAt,
    };
  }

  /** `lastUsedAt` is informational: writing it must not slow or fail the request. */
  private inBackground(write: Promise<unknown>): void {
    write.catch((error: unknown) => this.logger.warn({ err: error }, 'could not record key use'));
  }
}

function isStale(lastUsedAt: Date | null, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_WRITE_INTERVAL_MS;
}

function unauthenticated(message: string): AuthError {
  return new AuthError(AuthErrorCode.UNAUTHENTICATED, message);
}
