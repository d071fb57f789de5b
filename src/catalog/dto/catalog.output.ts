import { ApiProperty, PickType } from '@nestjs/swagger';
import { PageOutput } from '../../common/dto/page.output';
import { BookingType } from '../../generated/prisma/enums';

export class SegmentOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'general' })
  slug!: string;

  @ApiProperty({ example: 'General' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Our Services' })
  heroTitle!: string | null;

  @ApiProperty({ example: 'Sessions for families and groups.', type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: 'integer' })
  sortOrder!: number;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time', type: Date })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time', type: Date })
  updatedAt!: Date;
}

export class PackageOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  segmentId!: string;

  @ApiProperty({ example: 'basic-package' })
  slug!: string;

  @ApiProperty({ example: 'Basic' })
  name!: string;

  @ApiProperty({ example: 'Two hours in the studio, lights included.', type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: 'integer', description: 'Price in minor units (cents).', example: 0 })
  basePrice!: number;

  @ApiProperty({ enum: BookingType, enumName: 'BookingType' })
  bookingType!: BookingType;

  @ApiProperty({ type: 'integer' })
  groupingOrder!: number;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time', type: Date })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time', type: Date })
  updatedAt!: Date;
}

export class SegmentPageOutput extends PageOutput(SegmentOutput) {}

export class PackagePageOutput extends PageOutput(PackageOutput) {}

/** A package as the public storefront shows it: no internal fields (active, order, timestamps). */
export class StorefrontPackageOutput extends PickType(PackageOutput, ['id', 'slug', 'name', 'description', 'basePrice', 'bookingType'] as const) {}

export class StorefrontSegmentOutput extends PickType(SegmentOutput, ['id', 'slug', 'name', 'heroTitle', 'description'] as const) {
  @ApiProperty({ type: [StorefrontPackageOutput], description: 'Active packages, in grouping order.' })
  packages!: StorefrontPackageOutput[];
}

/** What the public sees of a tenant: its name and active catalog, in order. */
export class StorefrontOutput {
  @ApiProperty({ example: 'acme-studio' })
  slug!: string;

  @ApiProperty({ example: 'Acme Studio' })
  name!: string;

  @ApiProperty({ type: [StorefrontSegmentOutput], description: 'Active segments by sort order.' })
  segments!: StorefrontSegmentOutput[];
}
