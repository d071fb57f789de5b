import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { sha256Hex } from '../../common/crypto/sealed-box';
import { AppConfig } from '../../config/app-config';
import { TenantLookupService } from '../../provisioning/tenant-lookup.service';
import type { Principal } from '../../tenancy/principal';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase, type TenantTransaction } from '../../tenancy/tenant-database.service';
import { IntegrationConfigsRepository } from '../integration-configs.repository';
import { API_PREFIX } from '../../common/constants';
import { IntegrationProvider, WHATSAPP_WEBHOOK_ROUTE } from '../integrations.constants';
import { setLookupColumn, withLookupColumn } from '../tenant-lookup-column';
import { CredentialsVault } from '../vault/credentials-vault.service';
import type { SavedWhatsAppConfigOutput, WhatsAppConfigOutput } from './dto/whatsapp-config.output';

export interface WhatsAppConfigChange {
  phoneNumberId: string;
  businessAccountId: string;
  verifyToken?: string;
  accessToken?: string;
}

/** How a caller other than PUT (embedded signup) joins the change: its own audit action, work inside the same transaction. */
export interface WhatsAppConfigApplyOptions {
  action: string;
  /** Runs first in the tenant part of the transaction; throwing rolls the whole change back. */
  within?: (db: TenantTransaction) => Promise<void>;
  /** Added to the audit event's metadata. */
  metadata?: Record<string, unknown>;
}

interface WhatsAppSettings {
  businessAccountId?: string;
}

/**
 * A tenant's WhatsApp Business configuration. `phoneNumberId` stays on the tenant row (unique across
 * tenants, what webhooks and the operators' lookup route by); the WABA id in integration_configs; the
 * access and verify tokens in the vault, with the verify token's SHA-256 beside the config for
 * Meta's verification request. One transaction: the tenant row on the platform path, the rest as
 * the tenant.
 */
@Injectable()
export class WhatsAppConfigService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly configs: IntegrationConfigsRepository,
    private readonly vault: CredentialsVault,
    private readonly audit: AuditService,
    private readonly lookups: TenantLookupService,
    private readonly config: AppConfig,
  ) {}

  get(baseUrl: string): Promise<WhatsAppConfigOutput> {
    return withLookupColumn(this.database, 'phoneNumberId', (db, phoneNumberId) => this.view(db, phoneNumberId, baseUrl));
  }

  /** PUT: sets the ids, and the tokens given (a verify token is generated when none is given or stored). */
  async put(actor: Principal, change: WhatsAppConfigChange, baseUrl: string): Promise<SavedWhatsAppConfigOutput> {
    return this.apply(actor, change, baseUrl, { action: 'integration.whatsapp.configured' });
  }

  /** Shared with embedded signup: the whole change commits or nothing does. */
  async apply(actor: Principal, change: WhatsAppConfigChange, baseUrl: string, options: WhatsAppConfigApplyOptions): Promise<SavedWhatsAppConfigOutput> {
    return setLookupColumn(this.database, this.lookups, 'phoneNumberId', change.phoneNumberId, async (db, before) => {
      await options.within?.(db);
      return this.saveAsTenant(db, actor, change, before, baseUrl, options);
    });
  }

  private async saveAsTenant(
    db: TenantTransaction,
    actor: Principal,
    change: WhatsAppConfigChange,
    before: string | null,
    baseUrl: string,
    { action, metadata }: WhatsAppConfigApplyOptions,
  ): Promise<SavedWhatsAppConfigOutput> {
    const stored = await this.configs.find(db, IntegrationProvider.WHATSAPP);
    let generatedVerifyToken: string | null = null;
    let verifyToken = change.verifyToken;
    if (verifyToken === undefined && !(await this.vault.view(db, 'whatsapp_verify_token'))) {
      verifyToken = generatedVerifyToken = randomBytes(24).toString('base64url');
    }
    if (verifyToken !== undefined) await this.vault.store(db, actor, 'whatsapp_verify_token', verifyToken, 'verifyToken');
    if (change.accessToken !== undefined) await this.vault.store(db, actor, 'whatsapp_access_token', change.accessToken, 'accessToken');
    const settings: WhatsAppSettings = { businessAccountId: change.businessAccountId };
    await this.configs.save(db, IntegrationProvider.WHATSAPP, { ...settings }, verifyToken !== undefined ? sha256Hex(verifyToken) : stored?.lookupHash);
    const view = await this.view(db, change.phoneNumberId, baseUrl);
    await this.audit.record(
      actor,
      {
        action,
        tenantId: TenantContext.requireTenantId(),
        targetType: 'integration',
        targetId: IntegrationProvider.WHATSAPP,
        metadata: {
          phoneNumberId: { from: before, to: change.phoneNumberId },
          businessAccountId: change.businessAccountId,
          verifyToken: verifyToken !== undefined ? view.verifyToken : 'unchanged',
          accessToken: change.accessToken !== undefined ? view.accessToken : 'unchanged',
          configured: view.configured,
          ...metadata,
        },
      },
      db,
    );
    return { ...view, generatedVerifyToken };
  }

  async view(db: TenantTransaction, phoneNumberId: string | null, baseUrl: string): Promise<WhatsAppConfigOutput> {
    const config = await this.configs.find(db, IntegrationProvider.WHATSAPP);
    const settings = (config?.settings ?? {}) as WhatsAppSettings;
    const [verifyToken, accessToken] = await Promise.all([this.vault.view(db, 'whatsapp_verify_token'), this.vault.view(db, 'whatsapp_access_token')]);
    const present = {
      phoneNumberId: phoneNumberId !== null,
      businessAccountId: settings.businessAccountId !== undefined,
      accessToken: accessToken !== null,
      verifyToken: verifyToken !== null,
      platformAppSecret: this.config.META_APP_SECRET !== undefined,
    };
    const missing = Object.entries(present)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    return {
      configured: missing.length === 0,
      missing,
      phoneNumberId,
      businessAccountId: settings.businessAccountId ?? null,
      verifyToken: verifyToken?.maskedValue ?? null,
      accessToken: accessToken?.maskedValue ?? null,
      webhookUrl: `${this.config.PUBLIC_BASE_URL ?? baseUrl}/${API_PREFIX}/${WHATSAPP_WEBHOOK_ROUTE}`,
      updatedAt: config?.updatedAt ?? null,
    };
  }
}
