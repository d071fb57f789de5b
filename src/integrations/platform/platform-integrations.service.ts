import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { ProvisioningError, ProvisioningErrorCode } from '../../provisioning/provisioning.errors';
import type { Principal } from '../../tenancy/principal';
import { TenantDatabase } from '../../tenancy/tenant-database.service';
import { GenesysConfigService } from '../genesys/genesys-config.service';
import { CredentialsVault } from '../vault/credentials-vault.service';
import { WhatsAppConfigService } from '../whatsapp/whatsapp-config.service';
import type { PlatformIntegrationsOutput } from './dto/platform-integrations.output';

/** Where the operator's request came from, for the audit event. */
export interface OperatorRead {
  method: string;
  path: string;
  baseUrl: string;
}

/**
 * Operators' read of one tenant's integrations: the same masked views its admins get, built inside
 * that tenant's transaction (walls 4 and 5 hold: only its rows are visible), and audited as operator
 * access to tenant data (`operator.integrations.read`, like `operator.override`), in the same
 * transaction as the read.
 */
@Injectable()
export class PlatformIntegrationsService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly vault: CredentialsVault,
    private readonly whatsapp: WhatsAppConfigService,
    private readonly genesys: GenesysConfigService,
    private readonly audit: AuditService,
  ) {}

  read(actor: Principal, tenantId: string, request: OperatorRead): Promise<PlatformIntegrationsOutput> {
    return this.database.runFromPlatform(
      async (tx) => {
        const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true, phoneNumberId: true, genesysIntegrationId: true } });
        if (!tenant) throw new ProvisioningError(ProvisioningErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
        return { tenantId: tenant.id, phoneNumberId: tenant.phoneNumberId, genesysIntegrationId: tenant.genesysIntegrationId };
      },
      async (db, tenant) => {
        const credentials = await this.vault.list(db);
        const whatsapp = await this.whatsapp.view(db, tenant.phoneNumberId, request.baseUrl);
        const genesys = await this.genesys.view(db, tenant.genesysIntegrationId);
        await this.audit.record(
          actor,
          { action: 'operator.integrations.read', tenantId, targetType: 'tenant', targetId: tenantId, metadata: { method: request.method, path: request.path } },
          db,
        );
        return { tenantId, credentials, whatsapp, genesys };
      },
    );
  }
}
