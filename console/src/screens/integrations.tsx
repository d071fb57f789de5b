import { api, unwrap } from '../api';
import { AsyncView, formatDate, useLoad } from '../ui';

/** Integrations status (read-only here): stored credentials (masked), WhatsApp and Genesys. */
export function Integrations() {
  const credentials = useLoad(() => unwrap(api.GET('/api/v1/integrations/credentials')), []);
  const whatsapp = useLoad(() => unwrap(api.GET('/api/v1/integrations/whatsapp')), []);
  const genesys = useLoad(() => unwrap(api.GET('/api/v1/integrations/genesys')), []);
  return (
    <section>
      <h1>Integrations</h1>
      <h2>WhatsApp Business</h2>
      <AsyncView state={whatsapp}>
        {(data) => (
          <dl className="fields">
            <dt>Status</dt>
            <dd>{data.configured ? 'configured' : `not configured (missing: ${data.missing.join(', ')})`}</dd>
            <dt>Phone number ID</dt>
            <dd>{data.phoneNumberId ?? '—'}</dd>
            <dt>Business account ID</dt>
            <dd>{data.businessAccountId ?? '—'}</dd>
            <dt>Webhook URL</dt>
            <dd>
              <code>{data.webhookUrl}</code>
            </dd>
          </dl>
        )}
      </AsyncView>
      <h2>Genesys</h2>
      <AsyncView state={genesys}>
        {(data) => (
          <dl className="fields">
            <dt>Status</dt>
            <dd>{data.configured ? 'configured' : `not configured (missing: ${data.missing.join(', ')})`}</dd>
            <dt>Integration ID</dt>
            <dd>{data.integrationId ?? '—'}</dd>
            <dt>Region</dt>
            <dd>{data.region ?? '—'}</dd>
          </dl>
        )}
      </AsyncView>
      <h2>Stored credentials</h2>
      <AsyncView state={credentials} isEmpty={(page) => page.items.length === 0} empty="No credential types.">
        {(page) => (
          <table>
            <caption>Credentials (values masked)</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Value</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((credential) => (
                <tr key={credential.type}>
                  <td>{credential.type}</td>
                  <td>{credential.configured ? <code>{credential.maskedValue}</code> : 'not set'}</td>
                  <td>{credential.configured ? formatDate(credential.updatedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
      <p className="hint">Setting integrations up is done through the API for now (README, "Setting up WhatsApp end to end").</p>
    </section>
  );
}
