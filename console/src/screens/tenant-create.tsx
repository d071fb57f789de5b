import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api';
import { Link } from '../router';
import { ErrorMessage, Field, fieldError, SecretOnce, useAction } from '../ui';

/** Operators create a tenant (and optionally its owner); its first API key is shown once. */
export function TenantCreate() {
  const [form, setForm] = useState({ name: '', email: '', slug: '', ownerEmail: '' });
  const [created, setCreated] = useState<Schemas['ProvisionedTenantOutput'] | null>(null);
  const action = useAction();
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  if (created) {
    return (
      <section>
        <h1>Tenant created</h1>
        <p>
          <Link to={`/tenants/${created.tenant.id}`}>{created.tenant.name}</Link> ({created.tenant.slug}) is {created.tenant.status.toLowerCase()}, with the
          General segment and {created.packages.length} packages.
        </p>
        <SecretOnce secret={created.apiKey.secretKey} label={`First API key "${created.apiKey.name}"`} />
      </section>
    );
  }
  return (
    <section>
      <h1>Create a tenant</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await action.run(async () => {
            const body: Schemas['CreateTenantInput'] = { name: form.name, email: form.email };
            if (form.slug) body.slug = form.slug;
            if (form.ownerEmail) body.ownerEmail = form.ownerEmail;
            setCreated(await unwrap(api.POST('/api/v1/platform/tenants', { body })));
          });
        }}
      >
        <Field label="Business name" error={fieldError(action.error, 'name')}>
          {(props) => <input {...props} required value={form.name} onChange={set('name')} />}
        </Field>
        <Field label="Contact email" error={fieldError(action.error, 'email')}>
          {(props) => <input {...props} type="email" required value={form.email} onChange={set('email')} />}
        </Field>
        <Field label="Slug (optional)" hint="Lowercase letters, digits and dashes; made from the name when empty." error={fieldError(action.error, 'slug')}>
          {(props) => <input {...props} value={form.slug} onChange={set('slug')} />}
        </Field>
        <Field label="Owner's email (optional)" hint="Default: the contact email. An existing user becomes owner; otherwise one is created without a password." error={fieldError(action.error, 'ownerEmail')}>
          {(props) => <input {...props} type="email" value={form.ownerEmail} onChange={set('ownerEmail')} />}
        </Field>
        <ErrorMessage error={action.error} />
        <button type="submit" className="primary" disabled={action.pending}>
          Create tenant
        </button>
      </form>
    </section>
  );
}
