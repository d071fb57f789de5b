import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinDate, MinLength } from 'class-validator';
import { IsoDateTime } from '../../common/dto/iso-date-time';
import { SCOPE_SYNTAX } from '../api-key-scopes';

export class CreateApiKeyInput {
  @ApiProperty({ example: 'Website booking widget', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['agent'],
    description:
      'Default `["*"]`: the whole tenant API (signed-in people only). `resource` (e.g. `agent`, `catalog`) grants every action of the resource, ' +
      '`resource:action` (e.g. `catalog:read`) one action; `resource:*` is stored as `resource`. A key creating a key may only give scopes it holds itself.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SCOPE_SYNTAX, { each: true, message: 'each scope must be "*", "resource", "resource:action" or "resource:*"' })
  scopes?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'After this the key is refused (401). ISO 8601, before year 10000.' })
  @IsOptional()
  @IsoDateTime()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}
