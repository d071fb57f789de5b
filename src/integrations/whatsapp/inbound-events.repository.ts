import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../tenancy/tenant-database.service';
import type { InboundEvent } from './webhook-payload';

/** The context tenant's inbound WhatsApp events. */
@Injectable()
export class InboundEventsRepository {
  /** Inserts the events not stored yet (Meta redelivers): ON CONFLICT DO NOTHING on (tenantId, dedupeKey). */
  async storeNew(db: TenantTransaction, events: readonly InboundEvent[]): Promise<number> {
    const { count } = await db.whatsAppInboundEvent.createMany({
      data: events.map((event) => ({ ...event, payload: event.payload })) as Parameters<TenantTransaction['whatsAppInboundEvent']['createMany']>[0]['data'],
      skipDuplicates: true,
    });
    return count;
  }
}
