import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { TenantSettingsInput } from './tenant-settings.input';

/** What a tenant may change about itself. Anything else (commission, domain, status...) is refused with 400. */
export class UpdateAccountInput {
  @ApiPropertyOptional({ example: 'Acme Studio' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'hello@acme.example' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ type: TenantSettingsInput, description: 'Merged into the current settings.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantSettingsInput)
  settings?: TenantSettingsInput;
}
