import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { UnlessNull } from '../../common/dto/unless-null';
import { CATALOG_SLUG_MAX_LENGTH, CATALOG_SLUG_PATTERN, CATALOG_SLUG_RULE } from '../catalog.constants';

export class CreateSegmentInput {
  @ApiPropertyOptional({ example: 'weddings', description: 'Unique in the tenant; derived from the name when absent.', maxLength: CATALOG_SLUG_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_SLUG_MAX_LENGTH)
  @Matches(CATALOG_SLUG_PATTERN, { message: CATALOG_SLUG_RULE })
  slug?: string;

  @ApiProperty({ example: 'Weddings', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Your big day', maxLength: 200 })
  @UnlessNull()
  @IsString()
  @MaxLength(200)
  heroTitle?: string | null;

  @ApiPropertyOptional({ example: 'Sessions for families and groups.', type: String, nullable: true, maxLength: 2000 })
  @UnlessNull()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Default: after the last segment.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Any subset of a segment's fields; the General segment keeps its slug. */
export class UpdateSegmentInput extends PartialType(CreateSegmentInput) {}

export class DeleteSegmentQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Another segment of the tenant to move this segment's packages to." })
  @IsOptional()
  @IsUUID()
  moveTo?: string;
}

export class ReorderSegmentsInput {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every segment id of the tenant, in the new order.' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'segmentIds must not repeat an id' })
  @IsUUID('all', { each: true })
  segmentIds!: string[];
}
