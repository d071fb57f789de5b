import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TenantContextInterceptor } from './tenant-context.interceptor';
import { TenantDatabase } from './tenant-database.service';
import { TenantRoleCheck } from './tenant-role-check.service';
import { TenantSignature } from './tenant-signature.service';

@Global()
@Module({
  providers: [TenantDatabase, TenantSignature, TenantRoleCheck, { provide: APP_INTERCEPTOR, useClass: TenantContextInterceptor }],
  exports: [TenantDatabase, TenantSignature, TenantRoleCheck],
})
export class TenancyModule {}
