import { ApiProperty } from '@nestjs/swagger';
import { MembershipRole } from '../../generated/prisma/enums';

export class SessionUserOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'owner@example.com' })
  email!: string;
}

/** Tokens for a tenant (or, for an operator without one, for none). */
export class AccessTokenOutput {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjZjMmI5ZSJ9.c2lnbmF0dXJl', description: 'JWT; send as `Authorization: Bearer <accessToken>`.' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the access token expires.', example: 900 })
  expiresIn!: number;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  tenantId!: string | null;

  // Inline enum: OpenAPI 3.0 cannot make a referenced schema nullable.
  @ApiProperty({ type: String, enum: Object.values(MembershipRole), nullable: true, description: 'Your role in the tenant; null without one.' })
  role!: MembershipRole | null;
}

export class SessionOutput extends AccessTokenOutput {
  @ApiProperty({ example: 'Zt3xq0b2v9Q8h7mN5kLr1sYw4uE6aC', description: 'Opaque; shown once. Exchange at /auth/refresh for a new pair (single use).' })
  refreshToken!: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until the refresh token expires.' })
  refreshExpiresIn!: number;

  @ApiProperty({ type: SessionUserOutput })
  user!: SessionUserOutput;
}
