import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** Meta's subscription handshake: `hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
export class WebhookVerificationQuery {
  @ApiProperty({ name: 'hub.mode', example: 'subscribe' })
  @IsString()
  @MaxLength(32)
  'hub.mode'!: string;

  @ApiProperty({ name: 'hub.verify_token', description: "The platform's verify token or a tenant's." })
  @IsString()
  @MaxLength(256)
  'hub.verify_token'!: string;

  @ApiProperty({ name: 'hub.challenge', example: '1158201444', description: 'Echoed back as text/plain when the token matches.' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,256}$/, { message: 'hub.challenge must be a token' })
  'hub.challenge'!: string;
}

export class WebhookReceiptOutput {
  @ApiProperty({ type: 'integer', description: 'Messages and statuses in the delivery.' })
  received!: number;

  @ApiProperty({ type: 'integer', description: 'Newly stored.' })
  stored!: number;

  @ApiProperty({ type: 'integer', description: 'Already stored (Meta redelivered).' })
  duplicates!: number;

  @ApiProperty({ type: 'integer', description: 'Phone number ids no tenant has (dropped).' })
  unknownPhoneNumbers!: number;
}

/** The shape of a delivery, for the document; the handler reads the signed raw bytes itself. */
export const WEBHOOK_BODY_SCHEMA = {
  type: 'object',
  required: ['object', 'entry'],
  properties: {
    object: { type: 'string', example: 'whatsapp_business_account' },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', example: '102290129340398' },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                field: { type: 'string', example: 'messages' },
                value: {
                  type: 'object',
                  properties: {
                    metadata: { type: 'object', properties: { phone_number_id: { type: 'string', example: '106540352242922' }, display_phone_number: { type: 'string', example: '15550783881' } } },
                    messages: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', example: 'wamid.HBgLMTU1NTA3ODM4ODEVAgASGBQzQTk' } }, additionalProperties: true } },
                    statuses: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', example: 'wamid.HBgLMTU1NTA3ODM4ODEVAgASGBQzQTk' }, status: { type: 'string', example: 'delivered' } }, additionalProperties: true } },
                  },
                  additionalProperties: true,
                },
              },
            },
          },
        },
      },
    },
  },
  additionalProperties: true,
};
