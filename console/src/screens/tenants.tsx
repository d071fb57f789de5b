import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { Link } from '../router';
import { canOperate, useSession } from '../session';
import { AsyncView, Field, FilterOptions, useLoad } from '../ui';

const PAGE_SIZE = 20;
const STATUSES: Schemas['TenantStatus'][] = ['PROVISIONING', 'ACTIVE', 'SUSPENDED', 'DEPROVISIONING', 'DELETED'];

/** Operators: every tenant, searchable by name, slug or email, filtered by status, a page at a time. */
export function Tenants() {
  const { session } = useSession();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<Schemas['TenantStatus'] | ''>('');
  const [offset, setOffset] = useState(0);
  const page = useLoad(
    () =>
      unwrap(
        api.GET('/api/v1/platform/tenants', {
          params: { query: { limit: PAGE_SIZE, offset, ...(search ? { search } : {}), ...(status ? { status } : {}) } },
        }),
      ),
    [search, status, offset],
  );
  return (
    <section>
      <div className="heading">
        <h1>Tenants</h1>
        {canOperate(session) && (
          <Link to="/tenants/new" className="button primary">
            Create a tenant
          </Link>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <Field label="Search">
          {(props) => (
            <input
              {...props}
              type="search"
              placeholder="Name, slug or email"
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
                setOffset(0);
              }}
            />
          )}
        </Field>
        <Field label="Status">
          {(props) => (
            <select
              {...props}
              value={status}
              onChange={(event) => {
                setStatus(event.target.value as Schemas['TenantStatus'] | '');
                setOffset(0);
              }}
            >
              <FilterOptions values={STATUSES} />
            </select>
          )}
        </Field>
      </form>
      <AsyncView state={page} isEmpty={(data) => data.items.length === 0} empty="No tenant matches.">
        {(data) => (
          <>
            <table>
              <caption>
                {data.total} tenant{data.total === 1 ? '' : 's'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Slug</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((tenant) => (
                  <tr key={tenant.id}>
                    <td>
                      <Link to={`/tenants/${tenant.id}`}>{tenant.name}</Link>
                    </td>
                    <td>{tenant.slug}</td>
                    <td>{tenant.email}</td>
                    <td>
                      <span className={`status status-${tenant.status.toLowerCase()}`}>{tenant.status.toLowerCase()}</span>
                    </td>
                    <td>{new Date(tenant.createdAt).toLocaleDateString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                Previous
              </button>
              <span>
                {data.offset + 1}–{data.offset + data.items.length} of {data.total}
              </span>
              <button type="button" disabled={offset + PAGE_SIZE >= data.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                Next
              </button>
            </nav>
          </>
        )}
      </AsyncView>
    </section>
  );
}
