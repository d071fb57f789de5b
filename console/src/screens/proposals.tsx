import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { useCanWrite } from '../session';
import { AsyncView, ConfirmDialog, ErrorMessage, Field, FilterOptions, formatDate, formatPrice, useAction, useLoad } from '../ui';

type Proposal = Schemas['ProposalOutput'];
const STATUSES: Schemas['ProposalStatus'][] = ['PENDING', 'CONFIRMED', 'REJECTED', 'EXPIRED', 'FAILED'];

/** What a tool's payload would change, as label/value lines (prices in currency, not cents). */
function changeLines(payload: Record<string, unknown>): [string, string][] {
  const fields = (payload.package ?? payload.changes ?? payload) as Record<string, unknown>;
  return Object.entries(fields)
    .filter(([key]) => key !== 'action')
    .map(([key, value]) => [key, key === 'basePrice' && typeof value === 'number' ? formatPrice(value) : typeof value === 'string' ? value : JSON.stringify(value)]);
}

function isExpired(proposal: Proposal): boolean {
  return proposal.status === 'EXPIRED' || (proposal.status === 'PENDING' && new Date(proposal.expiresAt).getTime() < Date.now());
}

/** The agent proposals inbox: what an agent wants to change; an admin confirms or rejects. */
export function Proposals() {
  const canWrite = useCanWrite();
  const [status, setStatus] = useState<Schemas['ProposalStatus'] | ''>('PENDING');
  const list = useLoad(() => unwrap(api.GET('/api/v1/agent/proposals', { params: { query: { limit: 100, ...(status ? { status } : {}) } } })), [status]);
  const [rejecting, setRejecting] = useState<Proposal | null>(null);
  const action = useAction();

  const confirm = (proposal: Proposal) =>
    action.run(async () => {
      await unwrap(api.POST('/api/v1/agent/proposals/{id}/confirm', { params: { path: { id: proposal.id } } }));
      list.reload();
    });

  return (
    <section>
      <h1>Agent proposals</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter proposals">
        <Field label="Status">
          {(props) => (
            <select {...props} value={status} onChange={(event) => setStatus(event.target.value as Schemas['ProposalStatus'] | '')}>
              <FilterOptions values={STATUSES} />
            </select>
          )}
        </Field>
      </form>
      <ErrorMessage error={action.error} />
      <AsyncView state={list} isEmpty={(page) => page.items.length === 0} empty="No proposals.">
        {(page) => (
          <ul className="proposals">
            {page.items.map((proposal) => {
              const expired = isExpired(proposal);
              return (
                <li key={proposal.id} className={expired ? 'expired' : ''} aria-label={proposal.summary}>
                  <h2>{proposal.summary}</h2>
                  <p className="meta">
                    <span className={`status status-${expired ? 'expired' : proposal.status.toLowerCase()}`}>{expired ? 'expired' : proposal.status.toLowerCase()}</span>{' '}
                    {proposal.tool} · proposed by {proposal.proposedBy.type.toLowerCase().replace('_', ' ')} {proposal.proposedBy.id} on {formatDate(proposal.createdAt)} ·{' '}
                    {expired ? 'expired' : 'expires'} {formatDate(proposal.expiresAt)}
                  </p>
                  <dl className="fields">
                    {changeLines(proposal.payload).map(([label, value]) => (
                      <div key={label}>
                        <dt>{label}</dt>
                        <dd>{value}</dd>
                      </div>
                    ))}
                  </dl>
                  {proposal.error && <p className="field-error">Failed: {proposal.error.message}</p>}
                  {proposal.decidedAt && <p className="meta">Decided {formatDate(proposal.decidedAt)}</p>}
                  {canWrite && proposal.status === 'PENDING' && !expired && (
                    <div className="actions">
                      <button type="button" className="primary" disabled={action.pending} onClick={() => confirm(proposal)}>
                        Confirm
                      </button>
                      <button type="button" onClick={() => setRejecting(proposal)}>
                        Reject…
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </AsyncView>
      {rejecting && (
        <ConfirmDialog
          title="Reject this proposal?"
          description={<p>{rejecting.summary}</p>}
          confirmLabel="Reject"
          danger
          reason
          onConfirm={(reason) =>
            action.run(async () => {
              await unwrap(api.POST('/api/v1/agent/proposals/{id}/reject', { params: { path: { id: rejecting.id } }, body: reason ? { reason } : {} }));
              list.reload();
            })
          }
          onClose={() => setRejecting(null)}
        />
      )}
    </section>
  );
}
