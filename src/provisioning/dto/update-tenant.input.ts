import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsFQDN, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { UnlessNull } from '../../common/dto/unless-null';
import { TenantTermsInput } from './create-tenant.input';

/** Bounds of a tenant's own rate limit (the database CHECKs the same). */
export const TENANT_RATE_LIMIT_BOUNDS = { min: 1, max: 1_000_000 } as const;

/**
 * An operator's change to a tenant. `null` clears domain, phoneNumberId, genesysIntegrationId or
 * rateLimitPerMinute.
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

  @ApiPropertyOptional({ example: '106540352242922', type: String, nullable: true })
  @UnlessNull()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  phoneNumberId?: string | null;

  @ApiPropertyOptional({ example: 'genesys-prod-01', type: String, nullable: true })
  @UnlessNull()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  genesysIntegrationId?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: TENANT_RATE_LIMIT_BOUNDS.min,
    maximum: TENANT_RATE_LIMIT_BOUNDS.max,
    example: 3000,
    description: "Requests a minute the tenant's users and keys may make on the tenant API; null: the platform default. Applies from the next request.",
  })
  @UnlessNull()
  @IsInt()
  @Min(TENANT_RATE_LIMIT_BOUNDS.min)
  @Max(TENANT_RATE_LIMIT_BOUNDS.max)
  rateLimitPerMinute?: number | null;
}
