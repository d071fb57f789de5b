import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { conflictFromUniqueViolation } from '../../provisioning/tenant-conflicts';
import { TenantLookupService } from '../../provisioning/tenant-lookup.service';
import type { Principal } from '../../tenancy/principal';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase, type TenantTransaction } from '../../tenancy/tenant-database.service';
import { IntegrationConfigsRepository } from '../integration-configs.repository';
import { IntegrationProvider } from '../integrations.constants';
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
    const tenantId = TenantContext.requireTenantId();
    return this.database.runFromPlatform(
      async (tx) => ({ tenantId, integrationId: (await tx.tenant.findUnique({ where: { id: tenantId }, select: { genesysIntegrationId: true } }))?.genesysIntegrationId ?? null }),
      (db, tenant) => this.view(db, tenant.integrationId),
    );
  }

  async put(actor: Principal, input: PutGenesysConfigInput): Promise<GenesysConfigOutput> {
    const tenantId = TenantContext.requireTenantId();
    let before: string | null = null;
    try {
      const saved = await this.database.runFromPlatform(
        async (tx) => {
          before = (await tx.tenant.findUnique({ where: { id: tenantId }, select: { genesysIntegrationId: true } }))?.genesysIntegrationId ?? null;
          if (before !== input.integrationId) await tx.tenant.update({ where: { id: tenantId }, data: { genesysIntegrationId: input.integrationId } });
          return { tenantId };
        },
        async (db) => {
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
        },
      );
      if (before !== input.integrationId) await this.lookups.invalidate({ genesysIntegrationId: before }, { genesysIntegrationId: input.integrationId });
      return saved;
    } catch (error) {
      throw conflictFromUniqueViolation(error) ?? error;
    }
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
