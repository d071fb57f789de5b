import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { TenantLookupService } from '../../provisioning/tenant-lookup.service';
import type { Principal } from '../../tenancy/principal';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase, type TenantTransaction } from '../../tenancy/tenant-database.service';
import { IntegrationConfigsRepository } from '../integration-configs.repository';
import { IntegrationProvider } from '../integrations.constants';
import { setLookupColumn, withLookupColumn } from '../tenant-lookup-column';
import { CredentialsVault } from '../vault/credentials-vault.service';
import type { GenesysConfigOutput, PutGenesysConfigInput } from './dto/genesys-config.dto';

interface GenesysSettings {
  region?: string;
  clientId?: string;
}

/**
 * A tenant's Genesys Cloud configuration: `integrationId` on the tenant row (unique, the operators'
 * lookup column), region and client id in integration_configs, the client secret in the vault.
 */
@Injectable()
export class GenesysConfigService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly configs: IntegrationConfigsRepository,
    private readonly vault: CredentialsVault,
    private readonly audit: AuditService,
    private readonly lookups: TenantLookupService,
  ) {}

  get(): Promise<GenesysConfigOutput> {
    return withLookupColumn(this.database, 'genesysIntegrationId', (db, integrationId) => this.view(db, integrationId));
  }

  put(actor: Principal, input: PutGenesysConfigInput): Promise<GenesysConfigOutput> {
    const tenantId = TenantContext.requireTenantId();
    return setLookupColumn(this.database, this.lookups, 'genesysIntegrationId', input.integrationId, async (db, before) => {
      if (input.clientSecret !== undefined) await this.vault.store(db, actor, 'genesys_client_secret', input.clientSecret, 'clientSecret');
      const settings: GenesysSettings = { region: input.region, clientId: input.clientId };
      await this.configs.save(db, IntegrationProvider.GENESYS, { ...settings });
      const view = await this.view(db, input.integrationId);
      await this.audit.record(
        actor,
        {
          action: 'integration.genesys.configured',
          tenantId,
          targetType: 'integration',
          targetId: IntegrationProvider.GENESYS,
          metadata: {
            integrationId: { from: before, to: input.integrationId },
            region: input.region,
            clientId: input.clientId,
            clientSecret: input.clientSecret !== undefined ? view.clientSecret : 'unchanged',
            configured: view.configured,
          },
        },
        db,
      );
      return view;
    });
  }

  async view(db: TenantTransaction, integrationId: string | null): Promise<GenesysConfigOutput> {
    const config = await this.configs.find(db, IntegrationProvider.GENESYS);
    const settings = (config?.settings ?? {}) as GenesysSettings;
    const secret = await this.vault.view(db, 'genesys_client_secret');
    const present = { integrationId: integrationId !== null, region: settings.region !== undefined, clientId: settings.clientId !== undefined, clientSecret: secret !== null };
    const missing = Object.entries(present)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    return {
      configured: missing.length === 0,
      missing,
      integrationId,
      region: settings.region ?? null,
      clientId: settings.clientId ?? null,
      clientSecret: secret?.maskedValue ?? null,
      updatedAt: config?.updatedAt ?? null,
    };
  }
}
