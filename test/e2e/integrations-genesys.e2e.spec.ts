import { randomBytes } from 'node:crypto';
import { dumpDatabase, encodingsOf } from '../support/database-dump';
import { bearer, IdentityFixtures, login, type Session } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

describe('Genesys configuration', () => {
  const suite = useTestApp();
  let fixtures: IdentityFixtures;
  let a: Session;
  let b: Session;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(suite.database.url);
    // Tenants without the fixtures' genesys rows, as a fresh signup has.
    for (const name of ['A', 'B']) {
      const { tenant, owner } = await fixtures.tenantWithOwner(name);
      await fixtures.query(`DELETE FROM integration_credentials WHERE "tenantId" = $1; `, [tenant.id]);
      await fixtures.query(`DELETE FROM integration_configs WHERE "tenantId" = $1`, [tenant.id]);
      if (name === 'A') a = await login(suite.app, owner);
      else b = await login(suite.app, owner);
    }
  });
  afterAll(() => fixtures.close());

  const put = (session: Session, payload: object) => suite.app.inject({ method: 'PUT', url: '/api/v1/integrations/genesys', headers: bearer(session.accessToken), payload });
  const get = (session: Session) => suite.app.inject({ method: 'GET', url: '/api/v1/integrations/genesys', headers: bearer(session.accessToken) });

  it('stores the config with the secret in the vault, answers it masked, and reports completeness', async () => {
    expect((await get(a)).json()).toMatchObject({ configured: false, missing: ['integrationId', 'region', 'clientId', 'clientSecret'], clientSecret: null });
    const integrationId = `gen-${randomBytes(6).toString('hex')}`;
    const clientSecret = `genesys-${randomBytes(16).toString('hex')}`;
    const saved = await put(a, { integrationId, region: 'mypurecloud.ie', clientId: 'client-1', clientSecret });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ configured: true, missing: [], integrationId, region: 'mypurecloud.ie', clientId: 'client-1', clientSecret: `****${clientSecret.slice(-4)}` });
    expect((await get(a)).json()).toEqual(saved.json());
    const dump = await dumpDatabase(suite.database.url);
    for (const form of encodingsOf(clientSecret)) expect(dump.includes(form)).toBe(false);

    const taken = await put(b, { integrationId, region: 'mypurecloud.de', clientId: 'client-2' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'GENESYS_INTEGRATION_ID_TAKEN' });
    expect((await get(b)).json()).toMatchObject({ integrationId: null, configured: false });
    // Without a secret, B is saved but not configured.
    expect((await put(b, { integrationId: `${integrationId}-b`, region: 'mypurecloud.de', clientId: 'client-2' })).json()).toMatchObject({ configured: false, missing: ['clientSecret'] });
    expect((await put(b, { integrationId: 'x', region: 'moon', clientId: 'c' })).statusCode).toBe(400);
  });
});
