import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';

/** The arguments a model produced for the tool; checked against the tool's JSON Schema. */
export class InvokeToolInput {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { name: 'Full day', basePrice: 150000 } })
  @IsOptional()
  @IsObject()
  arguments?: Record<string, unknown>;
}
