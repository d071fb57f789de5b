import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PaginationQuery } from '../../common/dto/pagination.query';
import { MemoizedQueryValidation } from '../../common/query-validation-memo';
import { TenantStatus } from '../../generated/prisma/enums';

@MemoizedQueryValidation()
export class ListTenantsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: TenantStatus, enumName: 'TenantStatus' })
  @IsOptional()
  @IsEnum(TenantStatus)
  status?: TenantStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of slug, name or email.', example: 'acme' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  search?: string;
}
