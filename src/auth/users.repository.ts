import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { MembershipRole, TenantStatus } from '../generated/prisma/enums';

export interface SessionState {
  sessionVersion: number;
  platformScopes: string[];
  /** Live role in the asked tenant, or null without a membership there. */
  role: MembershipRole | null;
  /** The asked tenant's lifecycle status, or null when there is no such tenant. */
  tenantStatus: TenantStatus | null;
  /** The asked tenant's own rate limit a minute (null: the platform default, or no tenant). */
  tenantRateLimitPerMinute: number | null;
  /** The refresh-token family still has an unrevoked token (logout revokes them all). */
  sessionLive: boolean;
}

/** Users and memberships: global tables, read before any tenant is known (platform path). */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string) {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  findById(id: string) {
    return this.prisma.user.findUnique({ where: { id } });
  }

  /** Everything a request's access token is checked against, in one round trip. */
  async sessionState(userId: string, tenantId: string | null, sessionId: string): Promise<SessionState | null> {
    const rows = await this.prisma.$queryRaw<SessionState[]>`
      SELECT u."sessionVersion", u."platformScopes",
        (SELECT m.role::text FROM tenant_memberships m WHERE m."tenantId" = ${tenantId}::uuid AND m."userId" = u.id) AS role,
        t.status::text AS "tenantStatus", t."rateLimitPerMinute" AS "tenantRateLimitPerMinute",
        EXISTS (SELECT 1 FROM refresh_tokens r
                WHERE r."familyId" = ${sessionId}::uuid AND r."userId" = u.id AND r."revokedAt" IS NULL) AS "sessionLive"
      FROM users u LEFT JOIN tenants t ON t.id = ${tenantId}::uuid
      WHERE u.id = ${userId}::uuid`;
    return rows[0] ?? null;
  }

  membership(userId: string, tenantId: string) {
    return this.prisma.tenantMembership.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
  }

  /** Every tenant the user belongs to, oldest first (the console's tenant switch lists them). */
  memberships(userId: string) {
    return this.prisma.tenantMembership.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { tenantId: 'asc' }],
      select: { role: true, tenant: { select: { id: true, name: true, slug: true, status: true } } },
    });
  }

  /** The tenant a login lands in when none is asked for: the oldest membership. */
  firstMembership(userId: string) {
    return this.prisma.tenantMembership.findFirst({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { tenantId: 'asc' }] });
  }

  /** Ends every session: tokens carrying the old version are refused, refresh tokens revoked. */
  async bumpSessionVersion(userId: string): Promise<number> {
    const [user] = await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } }),
      this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } }),
    ]);
    return user.sessionVersion;
  }

  tenantExists(tenantId: string): Promise<boolean> {
    return this.prisma.tenant.count({ where: { id: tenantId } }).then((count) => count > 0);
  }
}
