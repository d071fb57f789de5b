import { Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/access.decorators';
import { rawBodyOf } from '../../common/http/raw-body';
import { WHATSAPP_SIGNATURE_HEADER, WHATSAPP_WEBHOOK_ROUTE } from '../integrations.constants';
import { WEBHOOK_BODY_SCHEMA, WebhookReceiptOutput, WebhookVerificationQuery } from './dto/webhook.dto';
import { WhatsAppWebhookService } from './whatsapp-webhook.service';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { IntegrationsErrorCode } from '../../integrations/integrations.errors';

/** Meta calls these (no credential but its verify token and signature): one URL for every tenant. */
@ApiTags('webhooks')
@Controller(WHATSAPP_WEBHOOK_ROUTE)
export class WhatsAppWebhookController {
  constructor(private readonly webhooks: WhatsAppWebhookService) {}

  @Get()
  @Public()
  @ApiErrors(IntegrationsErrorCode.WEBHOOK_VERIFICATION_FAILED)
  @ApiOperation({ operationId: 'verifyWhatsAppWebhook', summary: "Meta's subscription check: echoes hub.challenge as text/plain when the verify token matches (else 403)", security: [] })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The challenge, as sent.', content: { 'text/plain': { schema: { type: 'string', example: '1158201444' } } } })
  async verify(@Query() query: WebhookVerificationQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const challenge = await this.webhooks.verify(query['hub.mode'], query['hub.verify_token'], query['hub.challenge']);
    reply.type('text/plain; charset=utf-8');
    return challenge;
  }

  @Post()
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiErrors(IntegrationsErrorCode.WEBHOOK_SIGNATURE_INVALID, IntegrationsErrorCode.WHATSAPP_NOT_CONFIGURED)
  @ApiOperation({ operationId: 'receiveWhatsAppWebhook', summary: 'A delivery of messages and statuses, signed by Meta; stored once per Meta id, processed later', security: [] })
  @ApiHeader({ name: WHATSAPP_SIGNATURE_HEADER, required: true, description: '`sha256=` + hex HMAC-SHA256 of the raw body with the app secret; missing or wrong is 401' })
  @ApiBody({ schema: WEBHOOK_BODY_SCHEMA })
  @ApiOkResponse({ type: WebhookReceiptOutput })
  receive(@Req() request: FastifyRequest): Promise<WebhookReceiptOutput> {
    const signature = request.headers[WHATSAPP_SIGNATURE_HEADER];
    return this.webhooks.receive(rawBodyOf(request), typeof signature === 'string' ? signature : undefined);
  }
}
