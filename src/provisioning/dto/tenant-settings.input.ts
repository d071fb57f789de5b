import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Partial settings; the service checks the values (IANA zone, BCP-47 tag) and canonicalises them. */
export class TenantSettingsInput {
  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone name. Default UTC.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ example: 'en', description: 'BCP-47 language tag. Default en.' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string;
}
