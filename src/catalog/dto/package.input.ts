import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { UnlessNull } from '../../common/dto/unless-null';
import { PaginationQuery } from '../../common/dto/pagination.query';
import { MemoizedQueryValidation } from '../../common/query-validation-memo';
import { BookingType } from '../../generated/prisma/enums';
import { CATALOG_SLUG_MAX_LENGTH, CATALOG_SLUG_PATTERN, CATALOG_SLUG_RULE, MAX_PRICE_CENTS } from '../catalog.constants';

export class CreatePackageInput {
  @ApiPropertyOptional({ example: 'full-day', description: 'Unique in the tenant; derived from the name when absent.', maxLength: CATALOG_SLUG_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_SLUG_MAX_LENGTH)
  @Matches(CATALOG_SLUG_PATTERN, { message: CATALOG_SLUG_RULE })
  slug?: string;

  @ApiProperty({ example: 'Full day', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'Two hours in the studio, lights included.', type: String, nullable: true, maxLength: 2000 })
  @UnlessNull()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_PRICE_CENTS, example: 150000, description: 'Price in minor units (cents).' })
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  basePrice!: number;

  @ApiPropertyOptional({ enum: BookingType, enumName: 'BookingType', default: BookingType.DATE })
  @IsOptional()
  @IsEnum(BookingType)
  bookingType?: BookingType;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Order within the segment. Default: after the last package.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  groupingOrder?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: "A segment of the tenant. Default: the tenant's General segment." })
  @IsOptional()
  @IsUUID()
  segmentId?: string;
}

/** Any subset of a package's fields (moving it to another segment of the tenant included). */
export class UpdatePackageInput extends PartialType(CreatePackageInput) {}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

@MemoizedQueryValidation()
export class ListPackagesQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only packages of this segment.' })
  @IsOptional()
  @IsUUID()
  segmentId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only active (true) or inactive (false) packages.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
