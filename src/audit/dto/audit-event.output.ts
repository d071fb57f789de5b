import { ApiProperty } from '@nestjs/swagger';
import { ActorType } from '../../generated/prisma/enums';

export class AuditEventOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time', type: Date })
  occurredAt!: Date;

  @ApiProperty({ enum: ActorType, enumName: 'ActorType' })
  actorType!: ActorType;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'User, API key or service account id; null for the system.' })
  actorId!: string | null;

  @ApiProperty({ example: 'tenant.suspend' })
  action!: string;

  @ApiProperty({ type: String, nullable: true, example: 'tenant' })
  targetType!: string | null;

  @ApiProperty({ example: '3f6c2b9e-8a41-4d2f-9c57-1b0e6d4a7f21', type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  tenantId!: string | null;

  @ApiProperty({ example: '0b5d1c1e-3f2a-4c55-9d0e-8e7f6a5b4c3d', type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: Record<string, unknown>;
}

export class AuditEventPageOutput {
  @ApiProperty({ type: [AuditEventOutput] })
  items!: AuditEventOutput[];

  @ApiProperty({ example: 'eyJpZCI6IjNmNmMyYjllIn0', type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;

  @ApiProperty({ type: 'integer' })
  limit!: number;
}
