import type { InboundEventKind } from '../../generated/prisma/enums';

/** One message or status of a delivery, ready to store under its phone number's tenant. */
export interface InboundEvent {
  phoneNumberId: string;
  kind: InboundEventKind;
  metaId: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);

/**
 * The messages and statuses of a Cloud API webhook delivery
 * (`entry[].changes[].value.{metadata.phone_number_id, messages[], statuses[]}`). Parts that are not
 * shaped like that (other fields, other change types) are skipped, not refused: Meta adds fields, and
 * refusing a delivery only makes it retry.
 */
export function inboundEventsOf(body: unknown): InboundEvent[] {
  const events: InboundEvent[] = [];
  if (!isObject(body) || !Array.isArray(body.entry)) return events;
  for (const entry of body.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      const value = isObject(change) ? change.value : undefined;
      if (!isObject(value) || !isObject(value.metadata)) continue;
      const phoneNumberId = text(value.metadata.phone_number_id, 64);
      if (!phoneNumberId) continue;
      for (const message of Array.isArray(value.messages) ? value.messages : []) {
        const id = isObject(message) ? text(message.id, 255) : undefined;
        if (id) events.push({ phoneNumberId, kind: 'MESSAGE', metaId: id, dedupeKey: `message:${id}`, payload: message as Record<string, unknown> });
      }
      for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
        const id = isObject(status) ? text(status.id, 255) : undefined;
        const state = isObject(status) ? text(status.status, 64) : undefined;
        if (id && state) events.push({ phoneNumberId, kind: 'STATUS', metaId: id, dedupeKey: `status:${id}:${state}`, payload: status as Record<string, unknown> });
      }
    }
  }
  return events;
}
