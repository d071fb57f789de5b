import { Module } from '@nestjs/common';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { GenesysConfigService } from './genesys/genesys-config.service';
import { GenesysController } from './genesys/genesys.controller';
import { IntegrationConfigsRepository } from './integration-configs.repository';
import { PlatformIntegrationsController } from './platform/platform-integrations.controller';
import { PlatformIntegrationsService } from './platform/platform-integrations.service';
import { CredentialsController } from './vault/credentials.controller';
import { CredentialsRepository } from './vault/credentials.repository';
import { CredentialsVault } from './vault/credentials-vault.service';
import { IntegrationCredentialsService } from './vault/integration-credentials.service';
import { InboundEventsRepository } from './whatsapp/inbound-events.repository';
import { WhatsAppConfigService } from './whatsapp/whatsapp-config.service';
import { WhatsAppWebhookController } from './whatsapp/whatsapp-webhook.controller';
import { WhatsAppWebhookService } from './whatsapp/whatsapp-webhook.service';
import { WhatsAppController } from './whatsapp/whatsapp.controller';
import { EmbeddedSignupController } from './whatsapp/signup/embedded-signup.controller';
import { EmbeddedSignupService } from './whatsapp/signup/embedded-signup.service';
import { GraphApiClient } from './whatsapp/signup/graph-api.client';
import { SignupStateSigner } from './whatsapp/signup/signup-state.signer';
import { SignupStatesRepository } from './whatsapp/signup/signup-states.repository';

/** Tenant integrations: the credentials vault, WhatsApp Business (Meta Cloud API) and Genesys, and the operators' read of them. */
@Module({
  imports: [ProvisioningModule],
  controllers: [CredentialsController, WhatsAppController, EmbeddedSignupController, WhatsAppWebhookController, GenesysController, PlatformIntegrationsController],
  providers: [
    CredentialsRepository,
    CredentialsVault,
    IntegrationCredentialsService,
    IntegrationConfigsRepository,
    InboundEventsRepository,
    WhatsAppConfigService,
    WhatsAppWebhookService,
    GenesysConfigService,
    SignupStatesRepository,
    SignupStateSigner,
    GraphApiClient,
    EmbeddedSignupService,
    PlatformIntegrationsService,
  ],
  exports: [CredentialsVault],
})
export class IntegrationsModule {}
