import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsFQDN, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MaxDecimalPlaces } from '../../common/dto/max-decimal-places';
import { TENANT_SLUG_PATTERN } from '../tenant-fields';
import { TenantSettingsInput } from './tenant-settings.input';

export const SLUG_RULE = "slug must be 3-63 lowercase letters, digits or inner hyphens, without '--' as its third and fourth characters";

/** Settings and commission: set by operators at creation and on PATCH. */
export class TenantTermsInput {
  @ApiPropertyOptional({ type: TenantSettingsInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantSettingsInput)
  settings?: TenantSettingsInput;

  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 100, example: 10, description: 'Percent, two decimals. Default 10.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(2)
  @Min(0)
  @Max(100)
  commissionPercent?: number;
}

export class CreateTenantInput extends TenantTermsInput {
  @ApiProperty({ example: 'Acme Studio' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'owner@acme.example', description: 'Contact email; unique across tenants.' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({ example: 'acme-studio', description: 'Derived from the name when absent.' })
  @IsOptional()
  @IsString()
  @Matches(TENANT_SLUG_PATTERN, { message: SLUG_RULE })
  slug?: string;

  @ApiPropertyOptional({
    example: 'owner@acme.example',
    description: 'Who owns the tenant; default `email`. An existing user becomes OWNER; otherwise a user is created without a password.',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  ownerEmail?: string;

  @ApiPropertyOptional({ example: 'book.acme.example', description: 'Custom domain; unique across tenants.' })
  @IsOptional()
  @IsFQDN({ require_tld: true }, { message: 'domain must be a fully qualified domain name' })
  @MaxLength(253)
  domain?: string;

  @ApiPropertyOptional({ example: '109876543210987', description: 'WhatsApp Business phone number id; unique.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  phoneNumberId?: string;

  @ApiPropertyOptional({ example: 'genesys-prod-01', description: 'Genesys integration id; unique.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  genesysIntegrationId?: string;
}
