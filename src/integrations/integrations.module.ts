import { Module } from '@nestjs/common';
import { CredentialsController } from './vault/credentials.controller';
import { CredentialsRepository } from './vault/credentials.repository';
import { CredentialsVault } from './vault/credentials-vault.service';
import { IntegrationCredentialsService } from './vault/integration-credentials.service';

/** Tenant integrations: the credentials vault, WhatsApp Business (Meta Cloud API) and Genesys. */
@Module({
  controllers: [CredentialsController],
  providers: [CredentialsRepository, CredentialsVault, IntegrationCredentialsService],
  exports: [CredentialsVault],
})
export class IntegrationsModule {}
