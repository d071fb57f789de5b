import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class RefreshInput {
  @ApiProperty({ example: 'Zt3xq0b2v9Q8h7mN5kLr1sYw4uE6aC', description: 'The refresh token from login or the previous refresh; each works once.', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}
