import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { TenantTransaction } from '../tenancy/tenant-database.service';
import type { IntegrationProvider } from './integrations.constants';

/** Non-secret integration settings of the context's tenant (secrets are in the vault). */
@Injectable()
export class IntegrationConfigsRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(db: TenantTransaction, provider: IntegrationProvider) {
    return db.integrationConfig.findFirst({ where: { provider } });
  }

  async save(db: TenantTransaction, provider: IntegrationProvider, settings: Record<string, unknown>, lookupHash?: string | null) {
    const existing = await this.find(db, provider);
    if (existing) {
      const [row] = await db.integrationConfig.updateManyAndReturn({ where: { id: existing.id }, data: { settings: settings as object, lookupHash } });
      return row;
    }
    return db.integrationConfig.create({ data: { provider, settings: settings as object, lookupHash: lookupHash ?? null } as Parameters<TenantTransaction['integrationConfig']['create']>[0]['data'] });
  }

  /**
   * Whether any tenant's WhatsApp verify token has this SHA-256. Meta's verification request names no
   * tenant, so this is a platform path like the API-key lookup: the pool's own role, across tenants,
   * reading only whether a hash exists.
   */
  async verifyTokenHashExists(hash: string): Promise<boolean> {
    const row = await this.prisma.integrationConfig.findFirst({ where: { lookupHash: hash }, select: { lookupHash: true } });
    return row !== null;
  }
}
