import type { Schemas } from './api';
import { Empty, formatDate } from './ui';

type AuditEvent = Schemas['AuditEventOutput'];

function actorOf(event: AuditEvent): string {
  const type = event.actorType.toLowerCase().replace('_', ' ');
  return event.actorId ? `${type} ${event.actorId}` : type;
}

/** Audit events newest first: when, what, who (actor type and id), and the event's details. */
export function AuditList({ events, label }: { events: AuditEvent[]; label: string }) {
  if (events.length === 0) return <Empty>No audit events.</Empty>;
  return (
    <ol className="timeline" aria-label={label}>
      {events.map((event) => (
        <li key={event.id}>
          <time dateTime={event.occurredAt}>{formatDate(event.occurredAt)}</time> <strong className="action">{event.action}</strong>{' '}
          <span className="actor">by {actorOf(event)}</span>
          {event.targetType && (
            <span className="target">
              {' '}
              on {event.targetType} {event.targetId ?? ''}
            </span>
          )}
          {event.metadata && Object.keys(event.metadata).length > 0 && (
            <details>
              <summary>Details</summary>
              <pre>{JSON.stringify(event.metadata, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
