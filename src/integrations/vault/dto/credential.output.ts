import { ApiProperty } from '@nestjs/swagger';
import { PageOutput } from '../../../common/dto/page.output';

/** A credential as anyone ever sees it after it was written: masked. */
export class CredentialOutput {
  @ApiProperty({ example: 'whatsapp_access_token' })
  type!: string;

  @ApiProperty({ description: 'A value is stored.' })
  configured!: boolean;

  @ApiProperty({ type: String, nullable: true, example: '****x9Qa', description: 'The last four characters at most (none for short values).' })
  maskedValue!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '3f9a0c1d2e4b5a69', description: 'Changes when the value changes; reveals nothing of it.' })
  fingerprint!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'k2', description: 'The vault key the value is encrypted under.' })
  keyId!: string | null;

  @ApiProperty({ type: Date, format: 'date-time', nullable: true })
  createdAt!: Date | null;

  @ApiProperty({ type: Date, format: 'date-time', nullable: true })
  updatedAt!: Date | null;

  @ApiProperty({ type: Date, format: 'date-time', nullable: true, description: 'When the value was last replaced.' })
  rotatedAt!: Date | null;
}

export class CredentialPageOutput extends PageOutput(CredentialOutput) {}
