import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Meta's ids are decimal strings. */
export const META_ID = /^\d{1,64}$/;

export class PutWhatsAppConfigInput {
  @ApiProperty({ example: '106540352242922', description: "The WhatsApp phone number's id in Meta (unique across tenants)." })
  @IsString()
  @Matches(META_ID, { message: 'phoneNumberId must be Meta’s numeric id' })
  phoneNumberId!: string;

  @ApiProperty({ example: '102290129340398', description: 'The WhatsApp Business Account id (WABA).' })
  @IsString()
  @Matches(META_ID, { message: 'businessAccountId must be Meta’s numeric id' })
  businessAccountId!: string;

  @ApiPropertyOptional({ example: 'my-verify-token-2026', description: 'Webhook verify token of this tenant; generated (and shown once) when none is given or stored.', writeOnly: true, minLength: 16, maxLength: 256 })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  verifyToken?: string;

  @ApiPropertyOptional({ example: 'EAAGexampleAccessToken', description: 'Access token the platform sends with; kept in the vault. Absent: the stored one stays.', writeOnly: true, maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  accessToken?: string;
}
