import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PaginationQuery } from '../../common/dto/pagination.query';
import { MemoizedQueryValidation } from '../../common/query-validation-memo';
import { ProposalStatus } from '../../generated/prisma/enums';

@MemoizedQueryValidation()
export class ListProposalsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ProposalStatus, enumName: 'ProposalStatus', description: 'PENDING excludes expired ones; EXPIRED includes them.' })
  @IsOptional()
  @IsEnum(ProposalStatus)
  status?: ProposalStatus;
}
