import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { TenantTransaction } from '../tenancy/tenant-database.service';

const PUBLIC_FIELDS = {
  id: true,
  publicId: true,
  name: true,
  scopes: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

export interface NewApiKey {
  publicId: string;
  secretHash: string;
  name: string;
  scopes: string[];
  expiresAt: Date | null;
}

/**
 * Tenant API keys. Tenant-scoped methods take the transaction of TenantDatabase.run(), which adds
 * the tenant to every query; the two authentication methods are the platform path that runs before
 * any tenant is known.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Platform path: the key a presented secret names, in whichever tenant it is. */
  findForAuthentication(publicId: string) {
    return this.prisma.apiKey.findFirst({ where: { publicId }, include: { tenant: { select: { status: true, rateLimitPerMinute: true } } } });
  }

  /** Platform path: the caller just proved it holds this key. */
  async touch(tenantId: string, id: string, now: Date): Promise<void> {
    await this.prisma.apiKey.update({ where: { tenantId_id: { tenantId, id } }, data: { lastUsedAt: now } });
  }

  async list(db: TenantTransaction, limit: number, offset: number) {
    const [items, total] = await Promise.all([
      db.apiKey.findMany({ select: PUBLIC_FIELDS, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, skip: offset }),
      db.apiKey.count(),
    ]);
    return { items, total };
  }

  find(db: TenantTransaction, id: string) {
    return db.apiKey.findFirst({ where: { id }, select: PUBLIC_FIELDS });
  }

  create(db: TenantTransaction, key: NewApiKey) {
    // tenantId is added by the scoping extension; the cast is because Prisma's type requires it here.
    return db.apiKey.create({ data: key as NewApiKey & { tenantId: string }, select: PUBLIC_FIELDS });
  }

  /** New key material for an existing, unrevoked key; null when there is none. */
  async replaceSecret(db: TenantTransaction, id: string, publicId: string, secretHash: string) {
    const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { publicId, secretHash } });
    return count === 1 ? this.find(db, id) : null;
  }

  async revoke(db: TenantTransaction, id: string, now: Date): Promise<boolean> {
    const { count } = await db.apiKey.updateMany({ where: { id }, data: { revokedAt: now } });
    return count === 1;
  }
}
