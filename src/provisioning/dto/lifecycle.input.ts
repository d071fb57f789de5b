import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** The optional reason of a lifecycle transition: operators see it, the tenant never does. */
export class LifecycleInput {
  @ApiPropertyOptional({ example: 'Chargeback under review', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}
