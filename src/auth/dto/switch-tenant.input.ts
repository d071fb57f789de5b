import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class SwitchTenantInput {
  @ApiProperty({ format: 'uuid', description: 'A tenant the signed-in user is a member of.' })
  @IsUUID()
  tenantId!: string;
}
