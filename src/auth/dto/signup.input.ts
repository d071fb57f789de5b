import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SLUG_RULE } from '../../provisioning/dto/create-tenant.input';
import { TENANT_SLUG_PATTERN } from '../../provisioning/tenant-fields';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy';

export class SignupInput {
  @ApiProperty({ example: 'owner@acme.example', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ example: 'Acme Studio', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  businessName!: string;

  @ApiPropertyOptional({ example: 'acme-studio', description: 'Storefront slug; derived from the business name when absent.' })
  @IsOptional()
  @IsString()
  @Matches(TENANT_SLUG_PATTERN, { message: SLUG_RULE })
  slug?: string;
}
