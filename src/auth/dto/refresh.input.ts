import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class RefreshInput {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh; each works once.', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}
