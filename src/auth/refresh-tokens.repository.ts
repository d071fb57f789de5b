import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  activeTenantId: string | null;
  sessionVersion: number;
  expiresAt: Date;
}

/** Refresh tokens (global: a session spans tenants). Only hashes are stored. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(token: NewRefreshToken) {
    return this.prisma.refreshToken.create({ data: token });
  }

  findByHash(tokenHash: string) {
    return this.prisma.refreshToken.findUnique({ where: { tokenHash } });
  }

  /**
   * Marks `id` rotated and stores its successor, atomically. False when it was already rotated or
   * revoked, including by a concurrent refresh with the same token: only one caller ever wins.
   */
  async rotate(id: string, successor: NewRefreshToken): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.refreshToken.updateMany({
        where: { id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: new Date() },
      });
      if (count !== 1) return false;
      await tx.refreshToken.create({ data: successor });
      return true;
    });
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** After a tenant switch, refreshing keeps the session in the new tenant. */
  async moveFamily(familyId: string, tenantId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { activeTenantId: tenantId } });
  }
}
