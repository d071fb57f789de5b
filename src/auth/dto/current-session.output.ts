import { ApiProperty } from '@nestjs/swagger';
import { MembershipRole, TenantStatus } from '../../generated/prisma/enums';
import { SessionUserOutput } from './session.output';

export class SessionMembershipOutput {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ example: 'Acme Bookings' })
  name!: string;

  @ApiProperty({ example: 'acme-bookings' })
  slug!: string;

  @ApiProperty({ enum: TenantStatus, enumName: 'TenantStatus' })
  status!: TenantStatus;

  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' })
  role!: MembershipRole;
}

/** The signed-in user's session as the server sees it now (live role and status, not the token's). */
export class CurrentSessionOutput {
  @ApiProperty({ type: SessionUserOutput })
  user!: SessionUserOutput;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The tenant this session is in; null for an operator without one.' })
  tenantId!: string | null;

  // Inline enums: OpenAPI 3.0 cannot make a referenced schema nullable.
  @ApiProperty({ type: String, enum: Object.values(MembershipRole), nullable: true, description: 'Your live role in that tenant.' })
  role!: MembershipRole | null;

  @ApiProperty({ type: String, enum: Object.values(TenantStatus), nullable: true, description: "That tenant's lifecycle status." })
  tenantStatus!: TenantStatus | null;

  @ApiProperty({ type: [String], example: ['platform:operator'], description: 'Platform scopes (operators); empty for everyone else.' })
  platformScopes!: string[];

  @ApiProperty({ type: [SessionMembershipOutput], description: 'Every tenant you are a member of (switch-tenant takes these), oldest first.' })
  memberships!: SessionMembershipOutput[];
}
