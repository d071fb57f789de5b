import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { useCanWrite } from '../session';
import { AsyncView, ErrorMessage, Field, fieldError, useAction, useLoad } from '../ui';

/** The tenant's own profile and settings. */
export function AccountSettings() {
  const account = useLoad(() => unwrap(api.GET('/api/v1/account')), []);
  return (
    <section>
      <h1>Account settings</h1>
      <AsyncView state={account}>{(data) => <AccountForm account={data} onSaved={account.reload} />}</AsyncView>
    </section>
  );
}

function AccountForm({ account, onSaved }: { account: Schemas['AccountOutput']; onSaved: () => void }) {
  const canWrite = useCanWrite();
  const [form, setForm] = useState({ name: account.name, email: account.email, timezone: account.settings.timezone, language: account.settings.language });
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => (setForm({ ...form, [key]: event.target.value }), setSaved(false));
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        const done = await action.run(() =>
          unwrap(api.PATCH('/api/v1/account', { body: { name: form.name, email: form.email, settings: { timezone: form.timezone, language: form.language } } })),
        );
        setSaved(done);
        if (done) onSaved();
      }}
    >
      <p className="meta">
        Slug <code>{account.slug}</code> · status {account.status.toLowerCase()}
      </p>
      <fieldset disabled={!canWrite}>
        <legend>Profile</legend>
        <Field label="Business name" error={fieldError(action.error, 'name')}>
          {(props) => <input {...props} required value={form.name} onChange={set('name')} />}
        </Field>
        <Field label="Contact email" error={fieldError(action.error, 'email')}>
          {(props) => <input {...props} type="email" required value={form.email} onChange={set('email')} />}
        </Field>
        <Field label="Timezone" hint="An IANA name, e.g. Europe/Madrid" error={fieldError(action.error, 'settings.timezone')}>
          {(props) => <input {...props} value={form.timezone} onChange={set('timezone')} />}
        </Field>
        <Field label="Language" hint="e.g. en, es" error={fieldError(action.error, 'settings.language')}>
          {(props) => <input {...props} value={form.language} onChange={set('language')} />}
        </Field>
      </fieldset>
      <ErrorMessage error={action.error} />
      <p aria-live="polite">{saved ? 'Saved.' : ''}</p>
      {canWrite ? (
        <button type="submit" className="primary" disabled={action.pending}>
          Save
        </button>
      ) : (
        <p className="notice">Changing these needs the admin role.</p>
      )}
    </form>
  );
}
