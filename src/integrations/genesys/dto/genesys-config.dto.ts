import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Genesys Cloud regions (their API hosts' domains). */
export const GENESYS_REGIONS = [
  'mypurecloud.com',
  'use2.us-gov-pure.cloud',
  'usw2.pure.cloud',
  'cac1.pure.cloud',
  'mypurecloud.ie',
  'euw2.pure.cloud',
  'mypurecloud.de',
  'euc2.pure.cloud',
  'aps1.pure.cloud',
  'mypurecloud.jp',
  'apne2.pure.cloud',
  'apne3.pure.cloud',
  'mypurecloud.com.au',
  'sae1.pure.cloud',
  'mec1.pure.cloud',
] as const;

export class PutGenesysConfigInput {
  @ApiProperty({ example: 'a1b2c3d4-0000-4000-8000-000000000001', description: 'The Genesys integration id calls are routed by (unique across tenants).' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'integrationId must be 1-64 of A-Z a-z 0-9 . _ -' })
  integrationId!: string;

  @ApiProperty({ enum: GENESYS_REGIONS, example: 'mypurecloud.ie' })
  @IsIn(GENESYS_REGIONS)
  region!: string;

  @ApiProperty({ example: '7de3af06-6d2b-4a2c-8b7e-000000000002', description: 'OAuth client id (not secret).' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,128}$/, { message: 'clientId must be 1-128 of A-Z a-z 0-9 . _ -' })
  clientId!: string;

  @ApiPropertyOptional({ example: 'genesys-client-secret', description: 'OAuth client secret, kept in the vault. Absent: the stored one stays.', writeOnly: true, maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  clientSecret?: string;
}

export class GenesysConfigOutput {
  @ApiProperty({ description: 'Integration id, region, client id and secret are all present.' })
  configured!: boolean;

  @ApiProperty({ type: [String], example: ['clientSecret'] })
  missing!: string[];

  @ApiProperty({ example: 'genesys-prod-01', type: String, nullable: true })
  integrationId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'mypurecloud.ie' })
  region!: string | null;

  @ApiProperty({ example: '7c9e6679-genesys-client', type: String, nullable: true })
  clientId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '****9f2c', description: 'Masked.' })
  clientSecret!: string | null;

  @ApiProperty({ type: Date, format: 'date-time', nullable: true })
  updatedAt!: Date | null;
}
