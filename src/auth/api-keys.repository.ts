import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { TenantStatus } from '../generated/prisma/enums';
import { Sql, sql } from '../tenancy/tenant-batch-read';
import type { TenantDatabase, TenantTransaction } from '../tenancy/tenant-database.service';
import type { CachedApiKey } from './credential-cache.service';

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

/** PUBLIC_FIELDS in SQL, same order. */
const PUBLIC_COLUMNS = sql`"id", "publicId", "name", "scopes", "lastUsedAt", "expiresAt", "revokedAt", "createdAt"`;

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

  /** Platform path: the key a presented secret names, in whichever tenant it is (cached: CredentialCache). */
  findForAuthentication(publicId: string): Promise<CachedApiKey | null> {
    return this.prisma.apiKey.findFirst({
      where: { publicId },
      select: { id: true, tenantId: true, secretHash: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
    });
  }

  /**
   * Platform path: the key's tenant as it is now (never cached, so suspending a tenant refuses its
   * keys on the next request). One bound-parameter statement on the shared pool, without Prisma.
   */
  async tenantState(tenantId: string): Promise<{ status: TenantStatus; rateLimitPerMinute: number | null } | null> {
    const result = await this.prisma.pool.query<{ status: TenantStatus; rateLimitPerMinute: number | null }>(
      'SELECT "status", "rateLimitPerMinute" FROM "public"."tenants" WHERE "id" = $1',
      [tenantId],
    );
    return result.rows[0] ?? null;
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

  /**
   * The list endpoint's read: list()'s rows and total in one round trip (TenantDatabase.readBatch),
   * through the PL/pgSQL functions of the migration 20261202013000_hot_read_functions, whose plans
   * each connection keeps. The page function returns the public columns only, in its order (ORDER BY
   * ordinality: SQL promises a function's row order only so).
   */
  async page(database: TenantDatabase, limit: number, offset: number) {
    const [items, count] = await database.readBatch((tenant) => [
      sql`SELECT ${PUBLIC_COLUMNS} FROM "public"."tenant_api_keys_page"(${tenant}, ${Sql.integer(limit)}, ${Sql.integer(offset)}) WITH ORDINALITY ORDER BY "ordinality"`,
      sql`SELECT "public"."tenant_api_keys_count"(${tenant}) AS "total"`,
    ]);
    return { items: items.rows as Awaited<ReturnType<ApiKeysRepository['list']>>['items'], total: (count.rows[0] as { total: number }).total };
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
