import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import type { MembershipRole } from '../generated/prisma/enums';
import type { Principal, UserPrincipal } from '../tenancy/principal';
import { AccessTokenService } from './access-token.service';
import { AuthError, AuthErrorCode } from './auth.errors';
import type { CurrentSessionOutput } from './dto/current-session.output';
import type { AccessTokenOutput, SessionOutput } from './dto/session.output';
import { PasswordHasher } from './password-hasher.service';
import { passwordWeaknesses } from './password-policy';
import { TenantProvisioningService, type ProvisionedTenant } from '../provisioning/tenant-provisioning.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { generateOpaqueToken, sha256Hex } from './secret-tokens';
import { UsersRepository } from './users.repository';

/** The session a user is in, as handed to the controller (which also sets the cookies). */
export interface IssuedSession extends SessionOutput {
  userId: string;
  sessionVersion: number;
}

export interface IssuedAccess extends AccessTokenOutput {
  userId: string;
  sessionVersion: number;
}

/**
 * Sign-in sessions. A session is a refresh-token family: login starts one, each refresh rotates its
 * token, a rotated token presented again revokes the family (it was replayed or stolen), logout ends
 * it, and logout-all bumps the user's session version so every older token is refused.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly provisioning: TenantProvisioningService,
  ) {}

  async login(email: string, password: string, tenantId?: string): Promise<IssuedSession> {
    const user = await this.users.findByEmail(email);
    // Unknown email and wrong password take the same path through argon2 and give the same answer.
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, 'Email or password is incorrect');

    const membership = tenantId ? await this.users.membership(user.id, tenantId) : await this.users.firstMembership(user.id);
    if (tenantId && !membership) throw new AuthError(AuthErrorCode.MEMBERSHIP_REQUIRED, 'You are not a member of this tenant');

    const session = await this.startSession(user, membership?.tenantId ?? null, membership?.role ?? null, randomUUID());
    await this.audit.record({ actorType: 'USER', actorId: user.id }, { action: 'auth.login', tenantId: session.tenantId, targetType: 'user', targetId: user.id });
    return session;
  }

  /**
   * A new user and their tenant, provisioned whole (TenantProvisioningService.createFromSignup), then
   * signed in to it. The password is checked and hashed before the transaction opens.
   */
  async signup(input: { email: string; password: string; businessName: string; slug?: string }): Promise<IssuedSession & { provisioned: ProvisionedTenant }> {
    const weaknesses = passwordWeaknesses(input.password, input.email);
    if (weaknesses.length) throw new AuthError(AuthErrorCode.WEAK_PASSWORD, 'Choose a stronger password', weaknesses);
    const passwordHash = await this.passwords.hash(input.password);
    const provisioned = await this.provisioning.createFromSignup({ email: input.email, passwordHash, businessName: input.businessName, slug: input.slug });
    const user = await this.users.findById(provisioned.owner.userId);
    if (!user) throw new Error('signup: the owner just created is missing');
    const session = await this.startSession(user, provisioned.tenant.id, 'OWNER', randomUUID());
    return { ...session, provisioned };
  }

  async refresh(refreshToken: string): Promise<IssuedSession> {
    const stored = await this.refreshTokens.findByHash(sha256Hex(refreshToken));
    if (!stored || stored.revokedAt) throw refreshInvalid();
    if (stored.rotatedAt) return this.reuseDetected(stored.familyId, stored.userId);
    if (stored.expiresAt <= new Date()) throw refreshInvalid();

    const user = await this.users.findById(stored.userId);
    if (!user || user.sessionVersion !== stored.sessionVersion) throw refreshInvalid();
    const membership = stored.activeTenantId ? await this.users.membership(user.id, stored.activeTenantId) : null;
    if (stored.activeTenantId && !membership) throw refreshInvalid();

    const next = this.newRefreshToken(user.id, stored.familyId, stored.activeTenantId, user.sessionVersion);
    // Lost the race to a concurrent refresh with the same token: that is reuse too.
    if (!(await this.refreshTokens.rotate(stored.id, next.record))) return this.reuseDetected(stored.familyId, stored.userId);
    return this.describeSession(user, stored.activeTenantId, membership?.role ?? null, stored.familyId, next.token);
  }

  async logout(caller: Principal): Promise<void> {
    const principal = sessionOwner(caller);
    await this.refreshTokens.revokeFamily(principal.sessionId);
    await this.audit.record(principal, { action: 'auth.logout', tenantId: principal.tenantId, targetType: 'user', targetId: principal.userId });
  }

  async logoutAll(caller: Principal): Promise<void> {
    const principal = sessionOwner(caller);
    await this.users.bumpSessionVersion(principal.userId);
    await this.audit.record(principal, { action: 'auth.logout_all', tenantId: principal.tenantId, targetType: 'user', targetId: principal.userId });
  }

  async switchTenant(caller: Principal, tenantId: string): Promise<IssuedAccess> {
    const principal = sessionOwner(caller);
    const membership = await this.users.membership(principal.userId, tenantId);
    if (!membership) throw new AuthError(AuthErrorCode.MEMBERSHIP_REQUIRED, 'You are not a member of this tenant');
    await this.refreshTokens.moveFamily(principal.sessionId, tenantId);
    await this.audit.record(principal, { action: 'auth.switch_tenant', tenantId, targetType: 'tenant', targetId: tenantId, metadata: { from: principal.tenantId } });
    return {
      ...(await this.accessToken(principal.userId, [...principal.platformScopes], tenantId, membership.role, principal.sessionVersion, principal.sessionId)),
      userId: principal.userId,
      sessionVersion: principal.sessionVersion,
    };
  }

  /** Who the session belongs to, where it is and where else it may go: what a console shows first. */
  async currentSession(caller: Principal): Promise<CurrentSessionOutput> {
    const principal = sessionOwner(caller);
    const [user, memberships] = await Promise.all([this.users.findById(principal.userId), this.users.memberships(principal.userId)]);
    if (!user) throw new AuthError(AuthErrorCode.UNAUTHENTICATED, 'The session\'s user no longer exists');
    return {
      user: { id: user.id, email: user.email },
      tenantId: principal.tenantId,
      role: principal.role,
      tenantStatus: principal.tenantStatus,
      platformScopes: [...principal.platformScopes],
      memberships: memberships.map(({ role, tenant }) => ({ tenantId: tenant.id, name: tenant.name, slug: tenant.slug, status: tenant.status, role })),
    };
  }

  private async reuseDetected(familyId: string, userId: string): Promise<never> {
    await this.refreshTokens.revokeFamily(familyId);
    await this.audit.record({ actorType: 'USER', actorId: userId }, { action: 'auth.refresh_reuse', targetType: 'user', targetId: userId, metadata: { familyId } });
    throw refreshInvalid();
  }

  private async startSession(
    user: { id: string; email: string; sessionVersion: number; platformScopes: string[] },
    tenantId: string | null,
    role: MembershipRole | null,
    familyId: string,
  ): Promise<IssuedSession> {
    const refresh = this.newRefreshToken(user.id, familyId, tenantId, user.sessionVersion);
    await this.refreshTokens.create(refresh.record);
    return this.describeSession(user, tenantId, role, familyId, refresh.token);
  }

  private async describeSession(
    user: { id: string; email: string; sessionVersion: number; platformScopes: string[] },
    tenantId: string | null,
    role: MembershipRole | null,
    familyId: string,
    refreshToken: string,
  ): Promise<IssuedSession> {
    const access = await this.accessToken(user.id, user.platformScopes, tenantId, role, user.sessionVersion, familyId);
    return {
      ...access,
      refreshToken,
      refreshExpiresIn: this.config.REFRESH_TOKEN_TTL_SECONDS,
      user: { id: user.id, email: user.email },
      userId: user.id,
      sessionVersion: user.sessionVersion,
    };
  }

  private async accessToken(
    userId: string,
    scopes: string[],
    tenantId: string | null,
    role: MembershipRole | null,
    sessionVersion: number,
    sessionId: string,
  ): Promise<AccessTokenOutput> {
    const accessToken = await this.accessTokens.sign({ userId, tenantId, role, sessionVersion, sessionId, scopes });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.accessTokens.ttlSeconds, tenantId, role };
  }

  private newRefreshToken(userId: string, familyId: string, tenantId: string | null, sessionVersion: number) {
    const { token, tokenHash } = generateOpaqueToken();
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
    return { token, record: { userId, familyId, tokenHash, activeTenantId: tenantId, sessionVersion, expiresAt } };
  }
}

/** Sessions belong to users; API keys and service accounts have none to end or switch. */
function sessionOwner(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new AuthError(AuthErrorCode.FORBIDDEN, 'Only signed-in users have sessions');
  return principal;
}

function refreshInvalid(): AuthError {
  return new AuthError(AuthErrorCode.REFRESH_TOKEN_INVALID, 'Refresh token is invalid, expired or already used');
}
