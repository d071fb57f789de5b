import { PackageOutput, SegmentOutput } from '../../catalog/dto/catalog.output';
import { getSchemaPath, ApiProperty } from '@nestjs/swagger';
import { PageOutput } from '../../common/dto/page.output';
import { ActorType, ProposalStatus } from '../../generated/prisma/enums';

export class ProposalActorOutput {
  @ApiProperty({ enum: ActorType, enumName: 'ActorType' })
  type!: ActorType;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  id!: string | null;
}

export class ProposalErrorOutput {
  @ApiProperty({ example: 'SEGMENT_NOT_FOUND' })
  code!: string;

  @ApiProperty({ example: 'The segment no longer exists; list segments again' })
  message!: string;
}

/** A change an agent asked for. `status` is EXPIRED as soon as `expiresAt` passes undecided. */
export class ProposalOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'upsert_package' })
  tool!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The normalised input the executor receives on confirm.' })
  payload!: Record<string, unknown>;

  @ApiProperty({ example: 'Create package "Full day" at 1500.00 (150000 cents) in the General segment (no segmentId given).' })
  summary!: string;

  @ApiProperty({ enum: ProposalStatus, enumName: 'ProposalStatus' })
  status!: ProposalStatus;

  @ApiProperty({ type: ProposalActorOutput, description: 'The agent (API key) that proposed it.' })
  proposedBy!: ProposalActorOutput;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The person who confirmed or rejected it.' })
  decidedBy!: string | null;

  @ApiProperty({ type: Date, nullable: true, format: 'date-time' })
  decidedAt!: Date | null;

  @ApiProperty({ type: Date, format: 'date-time' })
  expiresAt!: Date;

  @ApiProperty({
    description: "The executor's result once confirmed: the created or changed package (`upsert_package`, `set_package_active`) or segment (`update_segment`); null before.",
    anyOf: [{ $ref: getSchemaPath(PackageOutput) }, { $ref: getSchemaPath(SegmentOutput) }, { type: 'object', nullable: true, enum: [null] }],
  })
  result!: PackageOutput | SegmentOutput | null;

  @ApiProperty({ type: ProposalErrorOutput, nullable: true, description: 'Why execution failed (status FAILED); nothing was changed.' })
  error!: ProposalErrorOutput | null;

  @ApiProperty({ type: Date, format: 'date-time' })
  createdAt!: Date;
}

export class ProposalPageOutput extends PageOutput(ProposalOutput) {}
