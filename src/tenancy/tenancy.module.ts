import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TenantContextInterceptor } from './tenant-context.interceptor';
import { TenantDatabase } from './tenant-database.service';
import { TenantSignature } from './tenant-signature.service';

@Global()
@Module({
  providers: [TenantDatabase, TenantSignature, { provide: APP_INTERCEPTOR, useClass: TenantContextInterceptor }],
  exports: [TenantDatabase, TenantSignature],
})
export class TenancyModule {}
