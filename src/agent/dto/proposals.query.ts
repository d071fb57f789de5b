import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PaginationQuery } from '../../common/dto/pagination.query';
import { ProposalStatus } from '../../generated/prisma/enums';

export class ListProposalsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ProposalStatus, enumName: 'ProposalStatus', description: 'PENDING excludes expired ones; EXPIRED includes them.' })
  @IsOptional()
  @IsEnum(ProposalStatus)
  status?: ProposalStatus;
}
