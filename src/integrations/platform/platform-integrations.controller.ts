import { Controller, Get, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Operator } from '../../auth/access.decorators';
import { pathOf } from '../../common/http/url';
import { CurrentPrincipal } from '../../tenancy/current-principal.decorator';
import type { Principal } from '../../tenancy/principal';
import { baseUrlOf } from '../base-url';
import { PlatformIntegrationsOutput } from './dto/platform-integrations.output';
import { PlatformIntegrationsService } from './platform-integrations.service';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ProvisioningErrorCode } from '../../provisioning/provisioning.errors';

/** Operators (`support:*` included) read a tenant's integrations, masked; every read is audited. */
@ApiTags('platform')
@Controller('platform/tenants/:id/integrations')
export class PlatformIntegrationsController {
  constructor(private readonly integrations: PlatformIntegrationsService) {}

  @Get()
  @Operator()
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND)
  @ApiOperation({ operationId: 'getTenantIntegrations', summary: "A tenant's credentials, WhatsApp and Genesys configuration, masked as its admins see them (audited)" })
  @ApiOkResponse({ type: PlatformIntegrationsOutput })
  get(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest): Promise<PlatformIntegrationsOutput> {
    return this.integrations.read(actor, id, { method: request.method, path: pathOf(request.url), baseUrl: baseUrlOf(request) });
  }
}
