import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { META_ID } from './whatsapp-config.input';

export class EmbeddedSignupStartOutput {
  @ApiProperty({
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
    description: 'Signed, single use, bound to this tenant and this user (or key); send it back to /complete. Valid until `expiresAt`.',
  })
  state!: string;

  @ApiProperty({ type: Date, format: 'date-time', description: 'Ten minutes from now.' })
  expiresAt!: Date;

  @ApiProperty({ example: '1234567890123456', description: "The platform's Meta app id, for launching Meta's signup popup (FB.login)." })
  appId!: string;

  @ApiProperty({ example: 'v21.0', description: 'Graph API version the platform uses.' })
  graphApiVersion!: string;
}

export class CompleteEmbeddedSignupInput {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl', description: 'The `state` from POST /integrations/whatsapp/embedded-signup.' })
  @IsString()
  @MaxLength(2048)
  state!: string;

  @ApiProperty({ example: 'AQBx4nM0c2lnbnVwLWNvZGU', description: "The code Meta's popup returned (exchanged once for the business's access token).", writeOnly: true, maxLength: 2048 })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,2048}$/, { message: 'code must be 1-2048 printable characters' })
  code!: string;

  @ApiProperty({ example: '106540352242922', description: "The phone number's id, from the popup's session info (unique across tenants)." })
  @IsString()
  @Matches(META_ID, { message: 'phoneNumberId must be Meta’s numeric id' })
  phoneNumberId!: string;

  @ApiProperty({ example: '102290129340398', description: 'The WhatsApp Business Account id, from the popup’s session info.' })
  @IsString()
  @Matches(META_ID, { message: 'businessAccountId must be Meta’s numeric id' })
  businessAccountId!: string;
}
