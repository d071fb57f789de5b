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

  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  tenantId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: Record<string, unknown>;
}

export class AuditEventPageOutput {
  @ApiProperty({ type: [AuditEventOutput] })
  items!: AuditEventOutput[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;

  @ApiProperty({ type: 'integer' })
  limit!: number;
}
