import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Operator } from '../auth/access.decorators';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { CreateTenantInput } from './dto/create-tenant.input';
import { LifecycleInput } from './dto/lifecycle.input';
import { ListTenantsQuery } from './dto/list-tenants.query';
import { TenantLookupOutput, TenantLookupQuery } from './dto/tenant-lookup.query';
import { ProvisionedTenantOutput, TenantOutput, TenantPageOutput } from './dto/tenant.output';
import { UpdateTenantInput } from './dto/update-tenant.input';
import { TENANTS_LOOKUP_SCOPE } from './provisioning.constants';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { TenantLifecycleService } from './tenant-lifecycle.service';
import { TenantLookupService } from './tenant-lookup.service';
import { TenantProvisioningService } from './tenant-provisioning.service';
import { TenantsService } from './tenants.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';

/** Operators' tenant API (`support:*` may read). Every change is audited with the operator as actor. */
@ApiTags('platform')
@Controller('platform/tenants')
export class PlatformTenantsController {
  constructor(
    private readonly provisioning: TenantProvisioningService,
    private readonly tenants: TenantsService,
    private readonly lifecycle: TenantLifecycleService,
    private readonly lookups: TenantLookupService,
  ) {}

  @Post()
  @Operator({ write: true })
  @ApiErrors(ProvisioningErrorCode.TENANT_SLUG_TAKEN, ProvisioningErrorCode.EMAIL_TAKEN, ProvisioningErrorCode.DOMAIN_TAKEN, ProvisioningErrorCode.PHONE_NUMBER_ID_TAKEN, ProvisioningErrorCode.GENESYS_INTEGRATION_ID_TAKEN, ProvisioningErrorCode.INVALID_TENANT_FIELD, ProvisioningErrorCode.PROVISIONING_FAILED)
  @ApiOperation({ operationId: 'createTenant', summary: 'Provision a tenant: segment, packages, owner and first API key (secret shown once)' })
  @ApiCreatedResponse({ type: ProvisionedTenantOutput })
  create(@CurrentPrincipal() actor: Principal, @Body() input: CreateTenantInput): Promise<ProvisionedTenantOutput> {
    return this.provisioning.createFullyProvisioned(input, actor);
  }

  @Get()
  @Operator()
  @ApiOperation({ operationId: 'listTenants', summary: 'Tenants, newest first; filter by status, search slug, name or email' })
  @ApiOkResponse({ type: TenantPageOutput })
  list(@Query() query: ListTenantsQuery): Promise<TenantPageOutput> {
    return this.tenants.list(query);
  }

  // Declared before ':id' so "lookup" is not taken for an id.
  @Get('lookup')
  @Operator({ serviceScope: TENANTS_LOOKUP_SCOPE })
  @ApiErrors(ProvisioningErrorCode.INVALID_LOOKUP, ProvisioningErrorCode.TENANT_NOT_FOUND)
  @ApiOperation({ operationId: 'lookupTenant', summary: 'Find a tenant by exactly one of phoneNumberId, genesysIntegrationId or domain (cached)' })
  @ApiOkResponse({ type: TenantLookupOutput })
  async lookup(@Query() query: TenantLookupQuery): Promise<TenantLookupOutput> {
    const found = await this.lookups.lookup(query);
    if (!found) throw new ProvisioningError(ProvisioningErrorCode.TENANT_NOT_FOUND, 'No tenant has this value');
    return found;
  }

  @Get(':id')
  @Operator()
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND)
  @ApiOperation({ operationId: 'getTenant', summary: 'One tenant, with its status reason' })
  @ApiOkResponse({ type: TenantOutput })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TenantOutput> {
    return this.tenants.get(id);
  }

  @Patch(':id')
  @Operator({ write: true })
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND, ProvisioningErrorCode.INVALID_TRANSITION, ProvisioningErrorCode.TENANT_SLUG_TAKEN, ProvisioningErrorCode.EMAIL_TAKEN, ProvisioningErrorCode.DOMAIN_TAKEN, ProvisioningErrorCode.PHONE_NUMBER_ID_TAKEN, ProvisioningErrorCode.GENESYS_INTEGRATION_ID_TAKEN, ProvisioningErrorCode.INVALID_TENANT_FIELD)
  @ApiOperation({ operationId: 'updateTenant', summary: 'Change tenant fields (null clears domain and routing ids)' })
  @ApiOkResponse({ type: TenantOutput })
  update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: UpdateTenantInput): Promise<TenantOutput> {
    return this.tenants.update(actor, id, input);
  }

  @Post(':id/suspend')
  @Operator({ write: true })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND, ProvisioningErrorCode.INVALID_TRANSITION)
  @ApiOperation({ operationId: 'suspendTenant', summary: 'ACTIVE -> SUSPENDED: its users and keys get 403 TENANT_SUSPENDED' })
  @ApiOkResponse({ type: TenantOutput })
  suspend(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: LifecycleInput): Promise<TenantOutput> {
    return this.lifecycle.transition(actor, id, 'suspend', input.reason);
  }

  @Post(':id/resume')
  @Operator({ write: true })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND, ProvisioningErrorCode.INVALID_TRANSITION)
  @ApiOperation({ operationId: 'resumeTenant', summary: 'SUSPENDED -> ACTIVE' })
  @ApiOkResponse({ type: TenantOutput })
  resume(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: LifecycleInput): Promise<TenantOutput> {
    return this.lifecycle.transition(actor, id, 'resume', input.reason);
  }

  @Post(':id/deprovision')
  @Operator({ write: true })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND, ProvisioningErrorCode.INVALID_TRANSITION)
  @ApiOperation({ operationId: 'deprovisionTenant', summary: 'ACTIVE or SUSPENDED -> DEPROVISIONING: locked out, data kept until finalize' })
  @ApiOkResponse({ type: TenantOutput })
  deprovision(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: LifecycleInput): Promise<TenantOutput> {
    return this.lifecycle.transition(actor, id, 'deprovision', input.reason);
  }

  @Post(':id/finalize')
  @Operator({ write: true })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND, ProvisioningErrorCode.INVALID_TRANSITION)
  @ApiOperation({ operationId: 'finalizeTenant', summary: "DEPROVISIONING -> DELETED: removes the tenant's data, keeps the audit trail; idempotent" })
  @ApiOkResponse({ type: TenantOutput })
  finalize(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() input: LifecycleInput): Promise<TenantOutput> {
    return this.lifecycle.transition(actor, id, 'finalize', input.reason);
  }
}
