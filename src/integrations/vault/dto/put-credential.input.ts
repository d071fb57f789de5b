import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class PutCredentialInput {
  /** Checked against the type's rule; stored encrypted; never shown again. */
  @ApiProperty({ example: 'EAAGm0PX4ZCpsBAexampletoken0123456789', minLength: 1, maxLength: 4096, writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  value!: string;
}
