import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RejectProposalInput {
  @ApiPropertyOptional({ maxLength: 500, example: 'Price is too low' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
