import { ApiProperty } from '@nestjs/swagger';
import { PageOutput } from '../../common/dto/page.output';

export class ApiKeyOutput {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'pk_4f1c2a9e0b7d3c6e5a8f1b2c', description: 'Names the key; not a secret.' })
  publicId!: string;

  @ApiProperty({ example: 'Website booking widget' })
  name!: string;

  @ApiProperty({ type: [String], example: ['*'] })
  scopes!: string[];

  @ApiProperty({ format: 'date-time', nullable: true, type: Date })
  lastUsedAt!: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: Date })
  expiresAt!: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: Date })
  revokedAt!: Date | null;

  @ApiProperty({ format: 'date-time', type: Date })
  createdAt!: Date;
}

/** Returned once, at creation or rotation: the only time the secret exists outside the client. */
export class ApiKeyWithSecretOutput extends ApiKeyOutput {
  @ApiProperty({ example: 'sk_4f1c2a9e0b7d3c6e5a8f1b2c_…', description: 'Shown once; store it now. Send as `Authorization: Bearer <secretKey>`.' })
  secretKey!: string;
}

export class ApiKeyPageOutput extends PageOutput(ApiKeyOutput) {}
