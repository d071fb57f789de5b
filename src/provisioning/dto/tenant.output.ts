import { ApiProperty } from '@nestjs/swagger';
import { PageOutput } from '../../common/dto/page.output';
import { PackageOutput, SegmentOutput } from '../../catalog/dto/catalog.output';
import { TenantStatus } from '../../generated/prisma/enums';

export class TenantSettingsOutput {
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone name.' })
  timezone!: string;

  @ApiProperty({ example: 'en', description: 'BCP-47 language tag.' })
  language!: string;
}

/** The tenant as operators see it (platform API). */
export class TenantOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'acme-studio' })
  slug!: string;

  @ApiProperty({ example: 'Acme Studio' })
  name!: string;

  @ApiProperty({ example: 'owner@acme.example' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'book.acme.example' })
  domain!: string | null;

  @ApiProperty({ type: TenantSettingsOutput })
  settings!: TenantSettingsOutput;

  @ApiProperty({ type: 'number', example: 10, description: 'Platform commission, percent (two decimals).' })
  commissionPercent!: number;

  @ApiProperty({ example: '106540352242922', type: String, nullable: true, description: 'WhatsApp Business phone number id routed to this tenant.' })
  phoneNumberId!: string | null;

  @ApiProperty({ example: 'genesys-prod-01', type: String, nullable: true, description: 'Genesys integration id routed to this tenant.' })
  genesysIntegrationId!: string | null;

  @ApiProperty({ enum: TenantStatus, enumName: 'TenantStatus' })
  status!: TenantStatus;

  @ApiProperty({ example: 'Unpaid invoice', type: String, nullable: true, description: 'Why the status last changed; operators only.' })
  statusReason!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Requests a minute on the tenant API for this tenant; null: the platform default (RATE_LIMIT_TENANT_PER_MINUTE). Operators only.',
  })
  rateLimitPerMinute!: number | null;

  @ApiProperty({ format: 'date-time', type: Date })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time', type: Date })
  updatedAt!: Date;
}

export class TenantPageOutput extends PageOutput(TenantOutput) {}

/** The first API key of a new tenant, with its secret: shown in this answer only. */
export class FirstApiKeyOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'pk_4f1c2a9e0b7d3c6e5a8f1b2c' })
  publicId!: string;

  @ApiProperty({ example: 'Default key' })
  name!: string;

  @ApiProperty({ type: [String], example: ['*'] })
  scopes!: string[];

  @ApiProperty({ example: 'sk_4f1c2a9e0b7d3c6e5a8f1b2c_…', description: 'Shown once; store it now. Send as `Authorization: Bearer <secretKey>`.' })
  secretKey!: string;
}

export class TenantOwnerOutput {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'owner@acme.example' })
  email!: string;

  @ApiProperty({ description: 'False when the owner was created by an operator and has not set a password yet.' })
  passwordSet!: boolean;
}

/** A freshly provisioned tenant: everything it was created with. */
export class ProvisionedTenantOutput {
  @ApiProperty({ type: TenantOutput })
  tenant!: TenantOutput;

  @ApiProperty({ type: SegmentOutput, description: 'The "General" segment.' })
  segment!: SegmentOutput;

  @ApiProperty({ type: [PackageOutput], description: 'Basic, Standard and Premium.' })
  packages!: PackageOutput[];

  @ApiProperty({ type: FirstApiKeyOutput })
  apiKey!: FirstApiKeyOutput;

  @ApiProperty({ type: TenantOwnerOutput })
  owner!: TenantOwnerOutput;
}
