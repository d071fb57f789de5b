import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/constants';
import { IsoDateTime } from '../../common/dto/iso-date-time';
import { QueryInt } from '../../common/dto/query-int';
import { ActorType } from '../../generated/prisma/enums';

/** Filters of a tenant's own audit trail. Newest first, cursor-paginated. */
export class AuditEventsQuery {
  @ApiPropertyOptional({ example: 'api_key.created', description: 'Exact action.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9_.]+$/, { message: 'action must be lowercase letters, digits, dots and underscores' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'User, API key or service account id.' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ enum: ActorType, enumName: 'ActorType' })
  @IsOptional()
  @IsEnum(ActorType)
  actorType?: ActorType;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this time (ISO 8601, years 1970 to 9999).' })
  @IsOptional()
  @IsoDateTime()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this time (ISO 8601, years 1970 to 9999).' })
  @IsOptional()
  @IsoDateTime()
  to?: Date;

  @ApiPropertyOptional({ description: 'From the previous page\'s `nextCursor`.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @QueryInt({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  limit: number = 20;
}

/** Operators may also filter by tenant. */
export class PlatformAuditEventsQuery extends AuditEventsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}
