import { ApiProperty } from '@nestjs/swagger';
import { TenantStatus } from '../../generated/prisma/enums';
import { TenantSettingsOutput } from './tenant.output';

/** The tenant's own profile. No status reason, commission or integration routing ids: those are operators'. */
export class AccountOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'acme-studio' })
  slug!: string;

  @ApiProperty({ example: 'Acme Studio' })
  name!: string;

  @ApiProperty({ example: 'owner@acme.example' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'book.acme.example', description: 'Set by operators.' })
  domain!: string | null;

  @ApiProperty({ type: TenantSettingsOutput })
  settings!: TenantSettingsOutput;

  @ApiProperty({ enum: TenantStatus, enumName: 'TenantStatus' })
  status!: TenantStatus;

  @ApiProperty({ format: 'date-time', type: Date })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time', type: Date })
  updatedAt!: Date;
}
