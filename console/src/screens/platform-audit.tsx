import { useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { AuditList } from '../audit-list';
import { ErrorMessage, Field, FilterOptions, Loading, useAction } from '../ui';

type Filters = { action: string; actorType: Schemas['ActorType'] | ''; actorId: string; tenantId: string; from: string; to: string };
const ACTOR_TYPES: Schemas['ActorType'][] = ['USER', 'API_KEY', 'SERVICE_ACCOUNT', 'SYSTEM', 'CLI'];

/** Operators: the platform's audit trail, filtered, a page at a time (cursor). */
export function PlatformAudit() {
  const [filters, setFilters] = useState<Filters>({ action: '', actorType: '', actorId: '', tenantId: '', from: '', to: '' });
  const [events, setEvents] = useState<Schemas['AuditEventOutput'][] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const action = useAction();

  const load = (after: string | null) =>
    action.run(async () => {
      const query: Record<string, string | number> = { limit: 50 };
      for (const [key, value] of Object.entries(filters)) if (value) query[key] = key === 'from' || key === 'to' ? new Date(value).toISOString() : value;
      if (after) query.cursor = after;
      const page = await unwrap(api.GET('/api/v1/platform/audit-events', { params: { query } }));
      setEvents((previous) => (after && previous ? [...previous, ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    });

  const set = (key: keyof Filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [key]: event.target.value });
  useEffect(() => {
    void load(null);
  }, []);

  return (
    <section>
      <h1>Platform audit</h1>
      <form
        className="filters"
        aria-label="Filter audit events"
        onSubmit={(event) => {
          event.preventDefault();
          void load(null);
        }}
      >
        <Field label="Action">{(props) => <input {...props} placeholder="e.g. tenant.suspend" value={filters.action} onChange={set('action')} />}</Field>
        <Field label="Actor type">
          {(props) => (
            <select {...props} value={filters.actorType} onChange={set('actorType')}>
              <FilterOptions values={ACTOR_TYPES} />
            </select>
          )}
        </Field>
        <Field label="Actor ID">{(props) => <input {...props} value={filters.actorId} onChange={set('actorId')} />}</Field>
        <Field label="Tenant ID">{(props) => <input {...props} value={filters.tenantId} onChange={set('tenantId')} />}</Field>
        <Field label="From">{(props) => <input {...props} type="datetime-local" value={filters.from} onChange={set('from')} />}</Field>
        <Field label="To">{(props) => <input {...props} type="datetime-local" value={filters.to} onChange={set('to')} />}</Field>
        <button type="submit" className="primary">
          Apply filters
        </button>
      </form>
      <ErrorMessage error={action.error} />
      {events === null ? <Loading /> : <AuditList events={events} label="Platform audit events" />}
      {cursor && (
        <button type="button" disabled={action.pending} onClick={() => load(cursor)}>
          Load more
        </button>
      )}
    </section>
  );
}
