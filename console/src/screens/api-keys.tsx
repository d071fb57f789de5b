import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { useCanWrite } from '../session';
import { AsyncView, ConfirmDialog, ErrorMessage, Field, fieldError, formatDate, SecretOnce, useAction, useLoad } from '../ui';

type ApiKey = Schemas['ApiKeyOutput'];

/** Scopes offered as checkboxes; anything else can be typed (the API checks the grammar). */
const SCOPE_CHOICES: { scope: string; label: string }[] = [
  { scope: '*', label: 'Everything (*)' },
  { scope: 'catalog', label: 'Catalog: read and write' },
  { scope: 'catalog:read', label: 'Catalog: read only' },
  { scope: 'agent', label: 'Agent tools (writes become proposals a person confirms)' },
  { scope: 'integrations', label: 'Integrations' },
];

/** Tenant admins: keys with scopes and last use; create (secret shown once), rotate, revoke. */
export function ApiKeys() {
  const canWrite = useCanWrite();
  const keys = useLoad(() => unwrap(api.GET('/api/v1/api-keys', { params: { query: { limit: 100 } } })), []);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [asking, setAsking] = useState<{ key: ApiKey; kind: 'rotate' | 'revoke' } | null>(null);
  const action = useAction();

  return (
    <section>
      <h1>API keys</h1>
      {secret && <SecretOnce secret={secret.value} label={`Secret of "${secret.name}"`} />}
      <AsyncView state={keys} isEmpty={(page) => page.items.length === 0} empty="No API keys yet.">
        {(page) => (
          <table>
            <caption>Keys of this tenant</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key ID</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {page.items.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.publicId}</code>
                  </td>
                  <td>{key.scopes.join(', ')}</td>
                  <td>{key.lastUsedAt ? formatDate(key.lastUsedAt) : 'never'}</td>
                  <td>{key.expiresAt ? formatDate(key.expiresAt) : 'never'}</td>
                  <td>{key.revokedAt ? `revoked ${formatDate(key.revokedAt)}` : 'active'}</td>
                  {canWrite && (
                    <td>
                      {!key.revokedAt && (
                        <>
                          <button type="button" onClick={() => setAsking({ key, kind: 'rotate' })} aria-label={`Rotate ${key.name}`}>
                            Rotate…
                          </button>{' '}
                          <button type="button" className="danger" onClick={() => setAsking({ key, kind: 'revoke' })} aria-label={`Revoke ${key.name}`}>
                            Revoke…
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
      <ErrorMessage error={action.error} />
      {asking && (
        <ConfirmDialog
          title={`${asking.kind === 'rotate' ? 'Rotate' : 'Revoke'} the key "${asking.key.name}"?`}
          description={
            <p>
              {asking.kind === 'rotate'
                ? 'A new secret replaces the old one, which stops working now. The new secret is shown once.'
                : 'Anything using this key is refused from now on. This cannot be undone.'}
            </p>
          }
          confirmLabel={asking.kind === 'rotate' ? 'Rotate key' : 'Revoke key'}
          danger={asking.kind === 'revoke'}
          onConfirm={() =>
            action.run(async () => {
              const path = { params: { path: { id: asking.key.id } } };
              if (asking.kind === 'rotate') {
                const rotated = await unwrap(api.POST('/api/v1/api-keys/{id}/rotate', path));
                setSecret({ name: rotated.name, value: rotated.secretKey });
              } else {
                await unwrap(api.DELETE('/api/v1/api-keys/{id}', path));
              }
              keys.reload();
            })
          }
          onClose={() => setAsking(null)}
        />
      )}
      {canWrite ? <CreateKey onCreated={(name, value) => (setSecret({ name, value }), keys.reload())} /> : <p className="notice">Managing keys needs the admin role.</p>}
    </section>
  );
}

function CreateKey({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const action = useAction();
  const toggle = (scope: string) => setChosen(chosen.includes(scope) ? chosen.filter((value) => value !== scope) : [...chosen, scope]);
  return (
    <form
      className="inline-form"
      aria-label="New API key"
      onSubmit={async (event) => {
        event.preventDefault();
        const scopes = [...chosen, ...other.split(',').map((value) => value.trim()).filter(Boolean)];
        await action.run(async () => {
          const created = await unwrap(api.POST('/api/v1/api-keys', { body: { name, ...(scopes.length ? { scopes } : {}) } }));
          setName('');
          setChosen([]);
          setOther('');
          onCreated(created.name, created.secretKey);
        });
      }}
    >
      <h2>New API key</h2>
      <Field label="Key name" error={fieldError(action.error, 'name')}>
        {(props) => <input {...props} required value={name} onChange={(event) => setName(event.target.value)} />}
      </Field>
      <fieldset>
        <legend>Scopes (none chosen: everything)</legend>
        {SCOPE_CHOICES.map((choice) => (
          <label key={choice.scope} className="checkbox">
            <input type="checkbox" checked={chosen.includes(choice.scope)} onChange={() => toggle(choice.scope)} /> {choice.label}
          </label>
        ))}
      </fieldset>
      <Field label="Other scopes (comma-separated)" hint="e.g. account:read, audit:read" error={fieldError(action.error, 'scopes')}>
        {(props) => <input {...props} value={other} onChange={(event) => setOther(event.target.value)} />}
      </Field>
      <ErrorMessage error={action.error} />
      <button type="submit" className="primary" disabled={action.pending}>
        Create key
      </button>
    </form>
  );
}
