import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase, type TenantTransaction } from '../tenancy/tenant-database.service';
import { StorefrontService } from './storefront.service';

/**
 * A tenant transaction that changes the catalog: once it has committed, the tenant's storefront is
 * invalidated (never before, or a reader could cache the old catalog again under the new version).
 */
@Injectable()
export class CatalogWrites {
  constructor(
    private readonly database: TenantDatabase,
    private readonly storefront: StorefrontService,
  ) {}

  async run<T>(work: (db: TenantTransaction) => Promise<T>): Promise<T> {
    const result = await this.database.run(work);
    await this.storefront.invalidateTenant(TenantContext.requireTenantId());
    return result;
  }
}
