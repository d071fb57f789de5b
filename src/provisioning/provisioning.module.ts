import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { PlatformTenantsController } from './platform-tenants.controller';
import { ProvisioningRepository } from './provisioning.repository';
import { TenantLifecycleService } from './tenant-lifecycle.service';
import { TenantLookupService } from './tenant-lookup.service';
import { TenantProvisioningService } from './tenant-provisioning.service';
import { TenantsService } from './tenants.service';

/** Creating tenants whole, their lifecycle, the operators' tenant API and the tenant's own account. */
@Module({
  imports: [CatalogModule],
  controllers: [PlatformTenantsController, AccountController],
  providers: [ProvisioningRepository, TenantProvisioningService, TenantsService, TenantLifecycleService, TenantLookupService, AccountService],
  exports: [TenantProvisioningService, TenantLookupService],
})
export class ProvisioningModule {}
