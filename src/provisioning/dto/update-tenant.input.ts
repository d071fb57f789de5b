import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsFQDN, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { UnlessNull } from '../../common/dto/unless-null';
import { TenantTermsInput } from './create-tenant.input';

/**
 * An operator's change to a tenant. `null` clears domain, phoneNumberId or genesysIntegrationId.
 * Status changes go through the lifecycle routes, never here; the slug never changes.
 */
export class UpdateTenantInput extends TenantTermsInput {
  @ApiPropertyOptional({ example: 'Acme Studio' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'owner@acme.example' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'book.acme.example' })
  @UnlessNull()
  @IsFQDN({ require_tld: true }, { message: 'domain must be a fully qualified domain name' })
  @MaxLength(253)
  domain?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @UnlessNull()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  phoneNumberId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @UnlessNull()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  genesysIntegrationId?: string | null;
}
