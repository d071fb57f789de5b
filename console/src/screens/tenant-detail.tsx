import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { AuditList } from '../audit-list';
import { Link, navigate } from '../router';
import { canOperate, useSession } from '../session';
import { AsyncView, ConfirmDialog, ErrorMessage, formatDate, useAction, useLoad } from '../ui';

type Lifecycle = 'suspend' | 'resume' | 'deprovision' | 'finalize';

const ACTIONS: Record<Lifecycle, { from: Schemas['TenantStatus'][]; label: string; explain: string; danger: boolean }> = {
  suspend: { from: ['ACTIVE'], label: 'Suspend', explain: 'Its users and API keys are refused (403 TENANT_SUSPENDED) until it is resumed.', danger: true },
  resume: { from: ['SUSPENDED'], label: 'Resume', explain: 'Its users and API keys work again.', danger: false },
  deprovision: {
    from: ['ACTIVE', 'SUSPENDED'],
    label: 'Deprovision',
    explain: 'The tenant goes out of service for good; finalize deletes its data afterwards.',
    danger: true,
  },
  finalize: { from: ['DEPROVISIONING'], label: 'Finalize', explain: "Deletes the tenant's data. This cannot be undone.", danger: true },
};

/** One tenant for operators: fields, lifecycle actions (with a reason), audit timeline, view-as. */
export function TenantDetail({ id }: { id: string }) {
  const { session, setViewAs } = useSession();
  const tenant = useLoad(() => unwrap(api.GET('/api/v1/platform/tenants/{id}', { params: { path: { id } } })), [id]);
  const audit = useLoad(() => unwrap(api.GET('/api/v1/platform/audit-events', { params: { query: { tenantId: id, limit: 50 } } })), [id]);
  const [asking, setAsking] = useState<Lifecycle | null>(null);
  const action = useAction();

  const transition = (name: Lifecycle, reason: string) =>
    action.run(async () => {
      const options = { params: { path: { id } }, body: reason ? { reason } : {} };
      if (name === 'suspend') await unwrap(api.POST('/api/v1/platform/tenants/{id}/suspend', options));
      if (name === 'resume') await unwrap(api.POST('/api/v1/platform/tenants/{id}/resume', options));
      if (name === 'deprovision') await unwrap(api.POST('/api/v1/platform/tenants/{id}/deprovision', options));
      if (name === 'finalize') await unwrap(api.POST('/api/v1/platform/tenants/{id}/finalize', options));
      tenant.reload();
      audit.reload();
    });

  return (
    <section>
      <p>
        <Link to="/tenants">← Tenants</Link>
      </p>
      <AsyncView state={tenant}>
        {(data) => (
          <>
            <div className="heading">
              <h1>{data.name}</h1>
              <span className={`status status-${data.status.toLowerCase()}`}>{data.status.toLowerCase()}</span>
            </div>
            <dl className="fields">
              <dt>ID</dt>
              <dd>
                <code>{data.id}</code>
              </dd>
              <dt>Slug</dt>
              <dd>{data.slug}</dd>
              <dt>Email</dt>
              <dd>{data.email}</dd>
              <dt>Domain</dt>
              <dd>{data.domain ?? '—'}</dd>
              <dt>Status reason</dt>
              <dd>{data.statusReason ?? '—'}</dd>
              <dt>Commission</dt>
              <dd>{data.commissionPercent} %</dd>
              <dt>Rate limit</dt>
              <dd>{data.rateLimitPerMinute ? `${data.rateLimitPerMinute} requests a minute` : 'platform default'}</dd>
              <dt>Timezone, language</dt>
              <dd>
                {data.settings.timezone}, {data.settings.language}
              </dd>
              <dt>Created</dt>
              <dd>{formatDate(data.createdAt)}</dd>
            </dl>
            <div className="actions">
              {canOperate(session) &&
                (Object.keys(ACTIONS) as Lifecycle[])
                  .filter((name) => ACTIONS[name].from.includes(data.status))
                  .map((name) => (
                    <button key={name} type="button" className={ACTIONS[name].danger ? 'danger' : ''} onClick={() => setAsking(name)}>
                      {ACTIONS[name].label}…
                    </button>
                  ))}
              {data.status !== 'DELETED' && (
                <button
                  type="button"
                  onClick={() => {
                    setViewAs({ id: data.id, name: data.name });
                    navigate('/catalog');
                  }}
                >
                  View as this tenant (read-only)
                </button>
              )}
            </div>
            <ErrorMessage error={action.error} />
            {asking && (
              <ConfirmDialog
                title={`${ACTIONS[asking].label} ${data.name}?`}
                description={<p>{ACTIONS[asking].explain}</p>}
                confirmLabel={ACTIONS[asking].label}
                danger={ACTIONS[asking].danger}
                reason
                onConfirm={(reason) => transition(asking, reason)}
                onClose={() => setAsking(null)}
              />
            )}
          </>
        )}
      </AsyncView>
      <h2>Audit timeline</h2>
      <AsyncView state={audit}>{(page) => <AuditList events={page.items} label="Audit timeline" />}</AsyncView>
    </section>
  );
}
