import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { TenantStatus } from '../../generated/prisma/enums';

/** Exactly one of the three. */
export class TenantLookupQuery {
  @ApiPropertyOptional({ example: '109876543210987' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  phoneNumberId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  genesysIntegrationId?: string;

  @ApiPropertyOptional({ example: 'book.acme.example' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(253)
  domain?: string;
}

export class TenantLookupOutput {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ example: 'acme-studio' })
  slug!: string;

  @ApiProperty({ example: 'Acme Studio' })
  name!: string;

  @ApiProperty({ enum: TenantStatus, enumName: 'TenantStatus' })
  status!: TenantStatus;
}
