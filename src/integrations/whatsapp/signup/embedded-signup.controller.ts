import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiGatewayTimeoutResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { TenantScoped } from '../../../auth/access.decorators';
import { ErrorOutput } from '../../../common/dto/error.output';
import { CurrentPrincipal } from '../../../tenancy/current-principal.decorator';
import type { Principal } from '../../../tenancy/principal';
import { baseUrlOf } from '../../base-url';
import { INTEGRATIONS_WRITE_SCOPE } from '../../integrations.constants';
import { CompleteEmbeddedSignupInput, EmbeddedSignupStartOutput } from '../dto/embedded-signup.dto';
import { SavedWhatsAppConfigOutput } from '../dto/whatsapp-config.output';
import { EmbeddedSignupService } from './embedded-signup.service';

const NOT_CONFIGURED = { type: ErrorOutput, description: 'WHATSAPP_NOT_CONFIGURED: the platform has no META_APP_ID / META_APP_SECRET' };

/** Meta's embedded signup (the business connects its WhatsApp number in Meta's popup), for tenant admins. */
@ApiTags('integrations')
@Controller('integrations/whatsapp/embedded-signup')
export class EmbeddedSignupController {
  constructor(private readonly signup: EmbeddedSignupService) {}

  @Post()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @ApiOperation({ operationId: 'startWhatsAppEmbeddedSignup', summary: "Start Meta's embedded signup: a signed state (10 min, single use, bound to tenant and user) and the app id for the popup" })
  @ApiCreatedResponse({ type: EmbeddedSignupStartOutput })
  @ApiServiceUnavailableResponse(NOT_CONFIGURED)
  start(@CurrentPrincipal() actor: Principal): Promise<EmbeddedSignupStartOutput> {
    return this.signup.start(actor);
  }

  @Post('complete')
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'completeWhatsAppEmbeddedSignup',
    summary: "Finish the signup: exchange Meta's code for the access token (vault), set the WhatsApp configuration; all or nothing",
  })
  @ApiOkResponse({ type: SavedWhatsAppConfigOutput })
  @ApiBadRequestResponse({ type: ErrorOutput, description: "SIGNUP_STATE_INVALID (forged, another tenant's or user's), SIGNUP_STATE_EXPIRED, VALIDATION_FAILED" })
  @ApiConflictResponse({ type: ErrorOutput, description: 'SIGNUP_STATE_USED, PHONE_NUMBER_ID_TAKEN' })
  @ApiBadGatewayResponse({ type: ErrorOutput, description: 'GRAPH_API_ERROR: Meta refused the code or answered unexpectedly (nothing saved, state still usable)' })
  @ApiGatewayTimeoutResponse({ type: ErrorOutput, description: 'GRAPH_API_TIMEOUT: Meta did not answer within META_GRAPH_TIMEOUT_MS (nothing saved, state still usable)' })
  @ApiServiceUnavailableResponse(NOT_CONFIGURED)
  complete(@CurrentPrincipal() actor: Principal, @Body() input: CompleteEmbeddedSignupInput, @Req() request: FastifyRequest): Promise<SavedWhatsAppConfigOutput> {
    return this.signup.complete(actor, input, baseUrlOf(request));
  }
}
