import { ApiProperty } from '@nestjs/swagger';
import { GenesysConfigOutput } from '../../genesys/dto/genesys-config.dto';
import { CredentialOutput } from '../../vault/dto/credential.output';
import { WhatsAppConfigOutput } from '../../whatsapp/dto/whatsapp-config.output';

/** One tenant's integrations as its admins see them (masked), for operators. */
export class PlatformIntegrationsOutput {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ type: [CredentialOutput], description: 'Every credential type, configured or not, masked.' })
  credentials!: CredentialOutput[];

  @ApiProperty({ type: WhatsAppConfigOutput })
  whatsapp!: WhatsAppConfigOutput;

  @ApiProperty({ type: GenesysConfigOutput })
  genesys!: GenesysConfigOutput;
}
