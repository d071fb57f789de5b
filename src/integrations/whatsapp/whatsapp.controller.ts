import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { TenantScoped } from '../../auth/access.decorators';
import { CurrentPrincipal } from '../../tenancy/current-principal.decorator';
import type { Principal } from '../../tenancy/principal';
import { baseUrlOf } from '../base-url';
import { INTEGRATIONS_READ_SCOPE, INTEGRATIONS_WRITE_SCOPE } from '../integrations.constants';
import { PutWhatsAppConfigInput } from './dto/whatsapp-config.input';
import { SavedWhatsAppConfigOutput, WhatsAppConfigOutput } from './dto/whatsapp-config.output';
import { WhatsAppConfigService } from './whatsapp-config.service';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { IntegrationsErrorCode } from '../../integrations/integrations.errors';
import { ProvisioningErrorCode } from '../../provisioning/provisioning.errors';

/** The tenant's WhatsApp Business (Meta Cloud API) configuration, for tenant admins. */
@ApiTags('integrations')
@Controller('integrations/whatsapp')
export class WhatsAppController {
  constructor(private readonly whatsapp: WhatsAppConfigService) {}

  @Get()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_READ_SCOPE })
  @ApiOperation({ operationId: 'getWhatsAppConfig', summary: 'WhatsApp configuration (tokens masked), whether it is complete, and the webhook URL for Meta' })
  @ApiOkResponse({ type: WhatsAppConfigOutput })
  get(@Req() request: FastifyRequest): Promise<WhatsAppConfigOutput> {
    return this.whatsapp.get(baseUrlOf(request));
  }

  @Put()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @ApiErrors(ProvisioningErrorCode.PHONE_NUMBER_ID_TAKEN, IntegrationsErrorCode.INVALID_CREDENTIAL)
  @ApiOperation({ operationId: 'putWhatsAppConfig', summary: 'Set phone number id, WABA id and tokens (a verify token is generated and shown once when none exists); 409 PHONE_NUMBER_ID_TAKEN' })
  @ApiOkResponse({ type: SavedWhatsAppConfigOutput })
  put(@CurrentPrincipal() actor: Principal, @Body() input: PutWhatsAppConfigInput, @Req() request: FastifyRequest): Promise<SavedWhatsAppConfigOutput> {
    return this.whatsapp.put(actor, input, baseUrlOf(request));
  }
}
