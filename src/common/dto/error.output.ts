import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailOutput {
  @ApiPropertyOptional({ example: 'email', description: 'The input field at fault, as a dotted path.' })
  field?: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** The envelope of every 4xx/5xx answer. */
export class ErrorOutput {
  @ApiProperty({ example: 'Request validation failed', description: 'Human-readable; never internals.' })
  error!: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE code to branch on.' })
  code!: string;

  @ApiPropertyOptional({ type: [ErrorDetailOutput] })
  details?: ErrorDetailOutput[];

  @ApiProperty({ example: '0b5d1c1e-3f2a-4c55-9d0e-8e7f6a5b4c3d', description: 'Also in the x-request-id header and the logs.' })
  requestId!: string;
}
