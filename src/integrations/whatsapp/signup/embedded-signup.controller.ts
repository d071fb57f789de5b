import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { TenantScoped } from '../../../auth/access.decorators';
import { CurrentPrincipal } from '../../../tenancy/current-principal.decorator';
import type { Principal } from '../../../tenancy/principal';
import { baseUrlOf } from '../../base-url';
import { INTEGRATIONS_WRITE_SCOPE } from '../../integrations.constants';
import { CompleteEmbeddedSignupInput, EmbeddedSignupStartOutput } from '../dto/embedded-signup.dto';
import { SavedWhatsAppConfigOutput } from '../dto/whatsapp-config.output';
import { EmbeddedSignupService } from './embedded-signup.service';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { IntegrationsErrorCode } from '../../../integrations/integrations.errors';
import { ProvisioningErrorCode } from '../../../provisioning/provisioning.errors';

/** Meta's embedded signup (the business connects its WhatsApp number in Meta's popup), for tenant admins. */
@ApiTags('integrations')
@Controller('integrations/whatsapp/embedded-signup')
export class EmbeddedSignupController {
  constructor(private readonly signup: EmbeddedSignupService) {}

  @Post()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @ApiErrors(IntegrationsErrorCode.WHATSAPP_NOT_CONFIGURED)
  @ApiOperation({ operationId: 'startWhatsAppEmbeddedSignup', summary: "Start Meta's embedded signup: a signed state (10 min, single use, bound to tenant and user) and the app id for the popup" })
  @ApiCreatedResponse({ type: EmbeddedSignupStartOutput })
  start(@CurrentPrincipal() actor: Principal): Promise<EmbeddedSignupStartOutput> {
    return this.signup.start(actor);
  }

  @Post('complete')
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(IntegrationsErrorCode.SIGNUP_STATE_INVALID, IntegrationsErrorCode.SIGNUP_STATE_EXPIRED, IntegrationsErrorCode.SIGNUP_STATE_USED, ProvisioningErrorCode.PHONE_NUMBER_ID_TAKEN, IntegrationsErrorCode.INVALID_CREDENTIAL, IntegrationsErrorCode.GRAPH_API_ERROR, IntegrationsErrorCode.GRAPH_API_TIMEOUT, IntegrationsErrorCode.WHATSAPP_NOT_CONFIGURED)
  @ApiOperation({
    operationId: 'completeWhatsAppEmbeddedSignup',
    summary: "Finish the signup: exchange Meta's code for the access token (vault), set the WhatsApp configuration; all or nothing",
  })
  @ApiOkResponse({ type: SavedWhatsAppConfigOutput })
  complete(@CurrentPrincipal() actor: Principal, @Body() input: CompleteEmbeddedSignupInput, @Req() request: FastifyRequest): Promise<SavedWhatsAppConfigOutput> {
    return this.signup.complete(actor, input, baseUrlOf(request));
  }
}
