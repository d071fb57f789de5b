import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinDate, MinLength } from 'class-validator';
import { IsoDateTime } from '../../common/dto/iso-date-time';

export class CreateApiKeyInput {
  @ApiProperty({ example: 'Website booking widget', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['api-keys:read'], description: 'Default `["*"]`: the whole tenant API.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^(\*|[a-z][a-z0-9-]*:[a-z*][a-z0-9-]*)$/, { each: true, message: 'each scope must look like "resource:action" or be "*"' })
  scopes?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'After this the key is refused (401). ISO 8601, before year 10000.' })
  @IsOptional()
  @IsoDateTime()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}
