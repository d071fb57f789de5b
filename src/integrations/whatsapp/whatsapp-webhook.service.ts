import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { sha256Hex } from '../../common/crypto/sealed-box';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { TenantLookupService } from '../../provisioning/tenant-lookup.service';
import { SYSTEM_PRINCIPAL } from '../../tenancy/principal';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase } from '../../tenancy/tenant-database.service';
import { IntegrationConfigsRepository } from '../integration-configs.repository';
import { IntegrationsError, IntegrationsErrorCode } from '../integrations.errors';
import { InboundEventsRepository } from './inbound-events.repository';
import { constantTimeEquals, isValidSignature } from './webhook-signature';
import { inboundEventsOf, type InboundEvent } from './webhook-payload';

export interface WebhookReceipt {
  received: number;
  stored: number;
  duplicates: number;
  unknownPhoneNumbers: number;
}

/**
 * Meta's webhook: the subscription handshake (verify token) and deliveries (signed with the app
 * secret). A delivery is split by phone number id; each part is stored under its tenant's context
 * (row-level security applies), once per Meta id. A phone number no tenant has is counted and
 * logged, never stored. Storing is all the request does: processing happens later, off Meta's clock.
 */
@Injectable()
export class WhatsAppWebhookService {
  private readonly logger = new Logger(WhatsAppWebhookService.name);
  private readonly events: Counter<'outcome'>;

  constructor(
    private readonly config: AppConfig,
    private readonly configs: IntegrationConfigsRepository,
    private readonly lookups: TenantLookupService,
    private readonly database: TenantDatabase,
    private readonly inbound: InboundEventsRepository,
    metrics: MetricsService,
  ) {
    this.events = new Counter({
      name: 'whatsapp_webhook_events_total',
      help: 'Messages and statuses received on the WhatsApp webhook, by outcome (stored, duplicate, unknown_phone_number)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    for (const outcome of ['stored', 'duplicate', 'unknown_phone_number']) this.events.inc({ outcome }, 0);
  }

  /** The challenge to echo, when the token is the platform's or some tenant's; else 403. */
  async verify(mode: string, token: string, challenge: string): Promise<string> {
    const platform = this.config.WHATSAPP_VERIFY_TOKEN;
    const matches = mode === 'subscribe' && ((platform !== undefined && constantTimeEquals(token, platform)) || (await this.configs.verifyTokenHashExists(sha256Hex(token))));
    if (!matches) throw new IntegrationsError(IntegrationsErrorCode.WEBHOOK_VERIFICATION_FAILED, 'Verification failed');
    return challenge;
  }

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookReceipt> {
    const secret = this.config.META_APP_SECRET;
    if (!secret) throw new IntegrationsError(IntegrationsErrorCode.WHATSAPP_NOT_CONFIGURED, 'WhatsApp webhooks are not configured on this platform');
    if (!rawBody || !isValidSignature(rawBody, signature, secret)) {
      throw new IntegrationsError(IntegrationsErrorCode.WEBHOOK_SIGNATURE_INVALID, 'Missing or invalid X-Hub-Signature-256');
    }
    // The verified bytes, not whatever else parsed them.
    const events = inboundEventsOf(JSON.parse(rawBody.toString('utf8')));
    const receipt: WebhookReceipt = { received: events.length, stored: 0, duplicates: 0, unknownPhoneNumbers: 0 };
    for (const [phoneNumberId, group] of groupBy(events)) {
      const tenant = await this.lookups.lookup({ phoneNumberId });
      if (!tenant) {
        receipt.unknownPhoneNumbers += 1;
        this.events.inc({ outcome: 'unknown_phone_number' }, group.length);
        this.logger.warn({ phoneNumberId, events: group.length }, 'WhatsApp delivery for a phone number no tenant has: dropped');
        continue;
      }
      const stored = await TenantContext.runAs({ principal: SYSTEM_PRINCIPAL, tenantId: tenant.tenantId, operatorOverride: false }, () =>
        this.database.run((db) => this.inbound.storeNew(db, group)),
      );
      receipt.stored += stored;
      receipt.duplicates += group.length - stored;
      this.events.inc({ outcome: 'stored' }, stored);
      this.events.inc({ outcome: 'duplicate' }, group.length - stored);
    }
    return receipt;
  }
}

function groupBy(events: InboundEvent[]): Map<string, InboundEvent[]> {
  const groups = new Map<string, InboundEvent[]>();
  for (const event of events) groups.set(event.phoneNumberId, [...(groups.get(event.phoneNumberId) ?? []), event]);
  return groups;
}
