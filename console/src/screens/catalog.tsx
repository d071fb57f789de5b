import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { useCanWrite, useSession } from '../session';
import { AsyncView, ConfirmDialog, ErrorMessage, Field, fieldError, formatPrice, useAction, useLoad } from '../ui';

type Segment = Schemas['SegmentOutput'];
type Package = Schemas['PackageOutput'];

/** The General segment: where packages without a segment go, so it can be neither deleted nor renamed away. */
const GENERAL_SLUG = 'general';
const LIST_LIMIT = 100;

/** Tenant admins: segments in order (reorder, create, delete) and packages (create, edit, move, activate). */
export function Catalog() {
  const canWrite = useCanWrite();
  const { viewAs } = useSession();
  const account = useLoad(() => unwrap(api.GET('/api/v1/account')), []);
  const catalog = useLoad(async () => {
    const [segments, packages] = await Promise.all([
      unwrap(api.GET('/api/v1/segments', { params: { query: { limit: LIST_LIMIT } } })),
      unwrap(api.GET('/api/v1/packages', { params: { query: { limit: LIST_LIMIT } } })),
    ]);
    return { segments: [...segments.items].sort((a, b) => a.sortOrder - b.sortOrder), packages: packages.items };
  }, []);

  return (
    <section>
      <div className="heading">
        <h1>Catalog</h1>
        {account.data && (
          <a href={`/api/v1/storefront/${encodeURIComponent(account.data.slug)}`} target="_blank" rel="noreferrer">
            Public storefront ({account.data.slug}) <span className="visually-hidden">(opens in a new tab)</span>
          </a>
        )}
      </div>
      {!canWrite && !viewAs && <p className="notice">You can view the catalog; changing it needs the admin role in this tenant.</p>}
      <AsyncView state={catalog}>
        {({ segments, packages }) => (
          <>
            <Segments segments={segments} packages={packages} canWrite={canWrite} onChange={catalog.reload} />
            <Packages segments={segments} packages={packages} canWrite={canWrite} onChange={catalog.reload} />
          </>
        )}
      </AsyncView>
    </section>
  );
}

function Segments({ segments, packages, canWrite, onChange }: { segments: Segment[]; packages: Package[]; canWrite: boolean; onChange: () => void }) {
  const action = useAction();
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [editing, setEditing] = useState<Segment | null>(null);
  const general = segments.find((segment) => segment.slug === GENERAL_SLUG);

  const move = (index: number, by: -1 | 1) =>
    action.run(async () => {
      const ids = segments.map((segment) => segment.id);
      [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
      await unwrap(api.POST('/api/v1/segments/reorder', { body: { segmentIds: ids } }));
      onChange();
    });

  return (
    <section aria-labelledby="segments-heading">
      <h2 id="segments-heading">Segments</h2>
      <ol className="segments">
        {segments.map((segment, index) => {
          const count = packages.filter((item) => item.segmentId === segment.id).length;
          return (
            <li key={segment.id}>
              <span className="name">{segment.name}</span> <span className="meta">({segment.slug}, {count} {count === 1 ? 'package' : 'packages'}{segment.active ? '' : ', inactive'})</span>
              {canWrite && (
                <span className="row-actions">
                  <button type="button" disabled={index === 0 || action.pending} onClick={() => move(index, -1)} aria-label={`Move ${segment.name} up`}>
                    ↑
                  </button>
                  <button
                    type="button"
                    disabled={index === segments.length - 1 || action.pending}
                    onClick={() => move(index, 1)}
                    aria-label={`Move ${segment.name} down`}
                  >
                    ↓
                  </button>
                  <button type="button" onClick={() => setEditing(segment)} aria-label={`Edit ${segment.name}`}>
                    Edit
                  </button>
                  {segment.slug === GENERAL_SLUG ? (
                    <span className="hint">General cannot be deleted: packages without a segment go there.</span>
                  ) : (
                    <button type="button" className="danger" onClick={() => setDeleting(segment)}>
                      Delete…
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ol>
      <ErrorMessage error={action.error} />
      {deleting && (
        <ConfirmDialog
          title={`Delete the segment ${deleting.name}?`}
          description={<p>Its packages move to the General segment.</p>}
          confirmLabel="Delete segment"
          danger
          onConfirm={() =>
            action.run(async () => {
              await unwrap(api.DELETE('/api/v1/segments/{id}', { params: { path: { id: deleting.id }, query: general ? { moveTo: general.id } : {} } }));
              onChange();
            })
          }
          onClose={() => setDeleting(null)}
        />
      )}
      {canWrite && editing && (
        <SegmentForm key={editing.id} existing={editing} onDone={() => (setEditing(null), onChange())} onCancel={() => setEditing(null)} />
      )}
      {canWrite && <SegmentForm key="new" onDone={onChange} />}
    </section>
  );
}

/** Create a segment, or edit one: rename it, change its storefront texts, hide it (its slug stays). */
function SegmentForm({ existing, onDone, onCancel }: { existing?: Segment; onDone: () => void; onCancel?: () => void }) {
  const empty = { name: '', heroTitle: '', description: '', active: true };
  const [form, setForm] = useState(
    existing ? { name: existing.name, heroTitle: existing.heroTitle ?? '', description: existing.description ?? '', active: existing.active } : empty,
  );
  const action = useAction();
  const set = (key: 'name' | 'heroTitle' | 'description') => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  const title = existing ? `Edit segment ${existing.name}` : 'New segment';
  return (
    <form
      className="inline-form"
      aria-label={title}
      onSubmit={async (event) => {
        event.preventDefault();
        const body = { name: form.name, heroTitle: form.heroTitle || null, description: form.description || null, active: form.active };
        const done = await action.run(() =>
          existing
            ? unwrap(api.PATCH('/api/v1/segments/{id}', { params: { path: { id: existing.id } }, body }))
            : unwrap(api.POST('/api/v1/segments', { body })),
        );
        if (done) {
          if (!existing) setForm(empty);
          onDone();
        }
      }}
    >
      <h3>{title}</h3>
      <Field label="Segment name" error={fieldError(action.error, 'name')}>
        {(props) => <input {...props} required value={form.name} onChange={set('name')} />}
      </Field>
      <Field label="Hero title (optional)" error={fieldError(action.error, 'heroTitle')}>
        {(props) => <input {...props} value={form.heroTitle} onChange={set('heroTitle')} />}
      </Field>
      <Field label="Segment description (optional)" error={fieldError(action.error, 'description')}>
        {(props) => <textarea {...props} rows={2} value={form.description} onChange={set('description')} />}
      </Field>
      <FormFooter
        active={form.active}
        onActive={(active) => setForm({ ...form, active })}
        error={action.error}
        pending={action.pending}
        onCancel={onCancel}
        submit={existing ? 'Save segment' : 'Create segment'}
      />
    </form>
  );
}

function Packages({ segments, packages, canWrite, onChange }: { segments: Segment[]; packages: Package[]; canWrite: boolean; onChange: () => void }) {
  const [editing, setEditing] = useState<Package | null>(null);
  const action = useAction();
  return (
    <section aria-labelledby="packages-heading">
      <h2 id="packages-heading">Packages</h2>
      {segments.map((segment) => {
        const items = packages.filter((item) => item.segmentId === segment.id).sort((a, b) => a.groupingOrder - b.groupingOrder);
        return (
          <table key={segment.id}>
            <caption>{segment.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Price</th>
                <th scope="col">Booking</th>
                <th scope="col">Status</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={canWrite ? 5 : 4} className="empty">
                    No packages in this segment.
                  </td>
                </tr>
              )}
              {items.map((item) => (
                <tr key={item.id}>
                  <td>{item.name}</td>
                  <td>{formatPrice(item.basePrice)}</td>
                  <td>{item.bookingType.toLowerCase()}</td>
                  <td>{item.active ? 'active' : 'inactive'}</td>
                  {canWrite && (
                    <td>
                      <button type="button" onClick={() => setEditing(item)} aria-label={`Edit ${item.name}`}>
                        Edit
                      </button>{' '}
                      <button
                        type="button"
                        disabled={action.pending}
                        aria-label={`${item.active ? 'Deactivate' : 'Activate'} ${item.name}`}
                        onClick={() =>
                          action.run(async () => {
                            await unwrap(api.PATCH('/api/v1/packages/{id}', { params: { path: { id: item.id } }, body: { active: !item.active, bookingType: item.bookingType } }));
                            onChange();
                          })
                        }
                      >
                        {item.active ? 'Deactivate' : 'Activate'}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
      <ErrorMessage error={action.error} />
      {canWrite && editing && <PackageForm key={editing.id} segments={segments} existing={editing} onDone={() => (setEditing(null), onChange())} onCancel={() => setEditing(null)} />}
      {canWrite && !editing && <PackageForm key="new" segments={segments} onDone={onChange} />}
    </section>
  );
}

/** Create a package, or edit one (moving it to another segment is changing its segment). */
function PackageForm({ segments, existing, onDone, onCancel }: { segments: Segment[]; existing?: Package; onDone: () => void; onCancel?: () => void }) {
  const [form, setForm] = useState({
    name: existing?.name ?? '',
    price: existing ? formatPrice(existing.basePrice) : '',
    description: existing?.description ?? '',
    segmentId: existing?.segmentId ?? segments.find((segment) => segment.slug === GENERAL_SLUG)?.id ?? segments[0]?.id ?? '',
    active: existing?.active ?? true,
  });
  const action = useAction();
  const set = (key: 'name' | 'price' | 'description' | 'segmentId') => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  const title = existing ? `Edit ${existing.name}` : 'New package';
  return (
    <form
      className="inline-form"
      aria-label={title}
      onSubmit={async (event) => {
        event.preventDefault();
        const body = {
          name: form.name,
          basePrice: Math.round(Number(form.price) * 100),
          description: form.description,
          segmentId: form.segmentId,
          active: form.active,
          bookingType: existing?.bookingType ?? 'DATE',
        };
        const done = await action.run(() =>
          existing
            ? unwrap(api.PATCH('/api/v1/packages/{id}', { params: { path: { id: existing.id } }, body }))
            : unwrap(api.POST('/api/v1/packages', { body })),
        );
        if (done) {
          if (!existing) setForm({ ...form, name: '', price: '', description: '' });
          onDone();
        }
      }}
    >
      <h3>{title}</h3>
      <Field label="Package name" error={fieldError(action.error, 'name')}>
        {(props) => <input {...props} required value={form.name} onChange={set('name')} />}
      </Field>
      <Field label="Price" hint="In the tenant's currency, e.g. 150.00" error={fieldError(action.error, 'basePrice')}>
        {(props) => <input {...props} required inputMode="decimal" pattern="[0-9]+([.][0-9]{1,2})?" value={form.price} onChange={set('price')} />}
      </Field>
      <Field label="Description" error={fieldError(action.error, 'description')}>
        {(props) => <textarea {...props} rows={2} value={form.description} onChange={set('description')} />}
      </Field>
      <Field label="Segment" error={fieldError(action.error, 'segmentId')}>
        {(props) => (
          <select {...props} value={form.segmentId} onChange={set('segmentId')}>
            {segments.map((segment) => (
              <option key={segment.id} value={segment.id}>
                {segment.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormFooter
        active={form.active}
        onActive={(active) => setForm({ ...form, active })}
        error={action.error}
        pending={action.pending}
        onCancel={onCancel}
        submit={existing ? 'Save package' : 'Create package'}
      />
    </form>
  );
}

/** The end of the segment and package forms: the storefront switch, the error, cancel and submit. */
function FormFooter({
  active,
  onActive,
  error,
  pending,
  onCancel,
  submit,
}: {
  active: boolean;
  onActive: (active: boolean) => void;
  error: unknown;
  pending: boolean;
  onCancel?: () => void;
  submit: string;
}) {
  return (
    <>
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={active} onChange={(event) => onActive(event.target.checked)} /> Active (shown on the storefront)
        </label>
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={pending}>
          {submit}
        </button>
      </div>
    </>
  );
}
