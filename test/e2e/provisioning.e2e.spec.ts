import { bearer, IdentityFixtures, login, type UserRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

interface ErrorBody {
  code: string;
  details?: Array<{ field: string; message: string }>;
}
interface Provisioned {
  tenant: { id: string; slug: string; status: string; email: string };
  segment: { id: string; slug: string; name: string; heroTitle: string; description: string };
  packages: Array<{ slug: string; segmentId: string; basePrice: number; groupingOrder: number }>;
  apiKey: { id: string; publicId: string; secretKey: string };
  owner: { userId: string; email: string; passwordSet: boolean };
}

const ENV = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };
const PASSWORD = 'a sound password 2026';
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe('signup and the platform tenant API', () => {
  const handle = useTestApp({ env: ENV });
  let fixtures: IdentityFixtures;
  let operator: UserRow;
  let support: UserRow;
  let operatorToken: string;
  let supportToken: string;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    operator = await fixtures.user({ platformScopes: ['platform:operator'] });
    support = await fixtures.user({ platformScopes: ['support:read'] });
    operatorToken = (await login(handle.app, operator)).accessToken;
    supportToken = (await login(handle.app, support)).accessToken;
  });
  afterAll(() => fixtures.close());

  const request = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, options: { token?: string; payload?: object } = {}) =>
    handle.app.inject({ method, url, payload: options.payload, headers: options.token ? bearer(options.token) : {} });
  const signup = (payload: object) => request('POST', '/api/v1/auth/signup', { payload });
  const createTenant = (payload: object, token = operatorToken) => request('POST', '/api/v1/platform/tenants', { token, payload });

  /** Every row of a tenant, per table: what "nothing persisted" is checked against. */
  async function rowsOfTenant(tenantId: string) {
    const count = async (sql: string) => Number((await fixtures.query<{ n: string }>(sql, [tenantId]))[0].n);
    return {
      tenants: await count('SELECT count(*) AS n FROM tenants WHERE id = $1'),
      memberships: await count('SELECT count(*) AS n FROM tenant_memberships WHERE "tenantId" = $1'),
      segments: await count('SELECT count(*) AS n FROM segments WHERE "tenantId" = $1'),
      packages: await count('SELECT count(*) AS n FROM packages WHERE "tenantId" = $1'),
      apiKeys: await count('SELECT count(*) AS n FROM api_keys WHERE "tenantId" = $1'),
    };
  }

  describe('POST /auth/signup', () => {
    it('creates the user, the tenant with its General segment, three packages and a key, and signs in', async () => {
      const email = `Owner-${unique()}@Example.com`;
      const response = await signup({ email, password: PASSWORD, businessName: 'Café Lumière Studio' });
      expect(response.statusCode).toBe(201);
      const body = response.json<Provisioned & { accessToken: string; refreshToken: string; role: string; tenantId: string; user: { id: string } }>();
      expect(body.tenant).toMatchObject({ slug: 'cafe-lumiere-studio', status: 'ACTIVE', email: email.toLowerCase() });
      expect(Object.keys(body.tenant).sort()).toEqual(['createdAt', 'domain', 'email', 'id', 'name', 'settings', 'slug', 'status', 'updatedAt']);
      expect(body.segment).toMatchObject({ slug: 'general', name: 'General', heroTitle: 'Our Services', description: 'Your main service offerings' });
      expect(body.packages.map((p) => [p.slug, p.basePrice, p.groupingOrder, p.segmentId])).toEqual([
        ['basic-package', 0, 1, body.segment.id],
        ['standard-package', 0, 2, body.segment.id],
        ['premium-package', 0, 3, body.segment.id],
      ]);
      expect(body).toMatchObject({ role: 'OWNER', tenantId: body.tenant.id });
      expect(body.apiKey.secretKey).toMatch(/^sk_[0-9a-f]{24}_/);
      // Never a hash of anything, and the password never comes back.
      expect(JSON.stringify(body)).not.toMatch(/passwordHash|secretHash|argon2|statusReason|commission/);
      expect(JSON.stringify(body)).not.toContain(PASSWORD);

      expect((await request('GET', '/api/v1/account', { token: body.accessToken })).json()).toMatchObject({ id: body.tenant.id });
      expect((await request('GET', '/api/v1/account', { token: body.apiKey.secretKey })).statusCode).toBe(200);
      const relogin = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
      expect(relogin.json()).toMatchObject({ tenantId: body.tenant.id, role: 'OWNER' });
      const [hashRow] = await fixtures.query<{ secretHash: string }>('SELECT "secretHash" FROM api_keys WHERE "tenantId" = $1', [body.tenant.id]);
      expect(hashRow.secretHash).toMatch(/^[0-9a-f]{64}$/);
      const [event] = await fixtures.query<{ actorType: string; actorId: string; metadata: { source: string } }>(
        `SELECT "actorType", "actorId", metadata FROM audit_events WHERE action = 'tenant.created' AND "tenantId" = $1`,
        [body.tenant.id],
      );
      expect(event).toMatchObject({ actorType: 'USER', actorId: body.user.id, metadata: { source: 'signup' } });
    });

    it.each([
      [{ password: 'short' }, 'password'],
      [{ password: 'aaaaaaaaaaaaaaaaaaaa' }, 'password'],
      [{ email: 'not-an-email' }, 'email'],
      [{ slug: 'Has Spaces' }, 'slug'],
      [{ slug: 'ab' }, 'slug'],
      [{ slug: '-leading-hyphen' }, 'slug'],
      [{ slug: 'admin' }, 'slug'],
      [{ businessName: '' }, 'businessName'],
    ])('refuses %j with 400 naming %s, and keeps nothing', async (override, field) => {
      const email = `bad-${unique()}@example.com`;
      const response = await signup({ email, password: PASSWORD, businessName: 'Fine Name', ...override });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details?.map((detail) => detail.field)).toContain(field);
      expect(await fixtures.query('SELECT 1 FROM users WHERE email = $1', [email.toLowerCase()])).toEqual([]);
    });

    it('answers 409 for a taken slug or email, and keeps nothing of the loser', async () => {
      const slug = `taken-${unique()}`;
      const email = `first-${unique()}@example.com`;
      expect((await signup({ email, password: PASSWORD, businessName: 'First', slug })).statusCode).toBe(201);

      const sameSlug = await signup({ email: `second-${unique()}@example.com`, password: PASSWORD, businessName: 'Second', slug });
      expect(sameSlug.statusCode).toBe(409);
      expect(sameSlug.json<ErrorBody>()).toMatchObject({ code: 'TENANT_SLUG_TAKEN', details: [{ field: 'slug' }] });

      const sameEmail = await signup({ email: email.toUpperCase(), password: PASSWORD, businessName: 'Third' });
      expect(sameEmail.statusCode).toBe(409);
      expect(sameEmail.json<ErrorBody>().code).toBe('EMAIL_TAKEN');
      expect(await fixtures.query(`SELECT 1 FROM tenants WHERE name IN ('Second', 'Third')`)).toEqual([]);
    });

    it('gives a derived slug a suffix when the plain one is taken', async () => {
      const name = `Studio ${unique()}`;
      const first = await signup({ email: `a-${unique()}@example.com`, password: PASSWORD, businessName: name });
      const second = await signup({ email: `b-${unique()}@example.com`, password: PASSWORD, businessName: name });
      expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
      const [a, b] = [first.json<Provisioned>().tenant.slug, second.json<Provisioned>().tenant.slug];
      expect(b).toMatch(new RegExp(`^${a}-[0-9a-f]{6}$`));
    });

    it('50 concurrent signups for one slug: exactly one 201, the rest 409, no 5xx, one tenant', async () => {
      const slug = `race-${unique()}`;
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) => signup({ email: `racer-${index}-${unique()}@example.com`, password: PASSWORD, businessName: `Racer ${index}`, slug })),
      );
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      expect(responses.filter((response) => response.statusCode === 409).every((r) => r.json<ErrorBody>().code === 'TENANT_SLUG_TAKEN')).toBe(true);
      const tenants = await fixtures.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
      expect(tenants).toHaveLength(1);
      expect(await rowsOfTenant(tenants[0].id)).toEqual({ tenants: 1, memberships: 1, segments: 1, packages: 3, apiKeys: 1 });
      // The 49 losers' users rolled back with their tenants.
      expect(await fixtures.query(`SELECT 1 FROM users WHERE email LIKE 'racer-%' AND id NOT IN (SELECT "userId" FROM tenant_memberships)`)).toEqual([]);
    }, 60_000);
  });

  describe('POST /platform/tenants', () => {
    it('provisions a tenant with its secret key shown once; the key works', async () => {
      const email = `ops-${unique()}@example.com`;
      const response = await createTenant({ name: 'Ops Made', email, settings: { timezone: 'europe/berlin', language: 'pt-br' }, commissionPercent: 12.5 });
      expect(response.statusCode).toBe(201);
      const body = response.json<Provisioned & { tenant: { settings: object; commissionPercent: number } }>();
      expect(body.tenant).toMatchObject({ slug: 'ops-made', status: 'ACTIVE', settings: { timezone: 'Europe/Berlin', language: 'pt-BR' }, commissionPercent: 12.5 });
      // The secret is in the answer once, under apiKey, as in signup's answer.
      expect(body).not.toHaveProperty('secretKey');
      expect(response.body.split(body.apiKey.secretKey)).toHaveLength(2);
      expect(body.owner).toMatchObject({ email, passwordSet: false });
      expect(body.packages).toHaveLength(3);
      expect((await request('GET', '/api/v1/account', { token: body.apiKey.secretKey })).statusCode).toBe(200);
      // Listed keys never show the secret again.
      const keys = await request('GET', '/api/v1/api-keys', { token: body.apiKey.secretKey });
      expect(JSON.stringify(keys.json())).not.toContain(body.apiKey.secretKey);
      const [event] = await fixtures.query<{ actorId: string }>(`SELECT "actorId" FROM audit_events WHERE action = 'tenant.created' AND "tenantId" = $1`, [body.tenant.id]);
      expect(event.actorId).toBe(operator.id);
    });

    it('defaults: UTC, en, 10 percent; an existing user named as owner becomes OWNER', async () => {
      const response = await createTenant({ name: `Defaults ${unique()}`, email: `d-${unique()}@example.com`, ownerEmail: operator.email });
      const body = response.json<Provisioned & { tenant: { settings: object; commissionPercent: number } }>();
      expect(body.tenant).toMatchObject({ settings: { timezone: 'UTC', language: 'en' }, commissionPercent: 10 });
      expect(body.owner).toEqual({ userId: operator.id, email: operator.email, passwordSet: true });
      // The audit event names the reused owner, and the request that made the tenant.
      const [event] = await fixtures.query<{ metadata: object; requestId: string }>(
        `SELECT metadata, "requestId" FROM audit_events WHERE action = 'tenant.created' AND "tenantId" = $1`,
        [body.tenant.id],
      );
      expect(event).toEqual({ metadata: { source: 'platform', slug: body.tenant.slug, ownerId: operator.id }, requestId: response.headers['x-request-id'] });
    });

    it.each([
      [{ settings: { timezone: 'Mars/Olympus' } }, 'settings.timezone'],
      [{ settings: { timezone: '+01:00' } }, 'settings.timezone'],
      [{ settings: { language: 'not a tag!' } }, 'settings.language'],
      [{ commissionPercent: 100.5 }, 'commissionPercent'],
      [{ commissionPercent: 12.345 }, 'commissionPercent'],
      [{ commissionPercent: -1 }, 'commissionPercent'],
      [{ domain: 'not a domain' }, 'domain'],
      [{ slug: 'www' }, 'slug'],
      [{ status: 'ACTIVE' }, 'status'],
    ])('refuses %j with 400 naming %s', async (override, field) => {
      const response = await createTenant({ name: 'Invalid', email: `i-${unique()}@example.com`, ...override });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details?.map((detail) => detail.field)).toContain(field);
    });

    it.each([
      ['slug', 'TENANT_SLUG_TAKEN'],
      ['email', 'EMAIL_TAKEN'],
      ['domain', 'DOMAIN_TAKEN'],
      ['phoneNumberId', 'PHONE_NUMBER_ID_TAKEN'],
      ['genesysIntegrationId', 'GENESYS_INTEGRATION_ID_TAKEN'],
    ])('a taken %s is 409 %s, also when both requests race', async (field, code) => {
      const id = unique();
      const shared = { slug: `s-${id}`, email: `e-${id}@example.com`, domain: `${id}.example.com`, phoneNumberId: `p-${id}`, genesysIntegrationId: `g-${id}` };
      const fresh = () => {
        const other = unique();
        return { slug: `s-${other}`, email: `e-${other}@example.com`, domain: `${other}.example.com`, phoneNumberId: `p-${other}`, genesysIntegrationId: `g-${other}` };
      };
      const payload = (base: object) => ({ name: 'Conflict', ...base, [field]: shared[field as keyof typeof shared] });
      const [a, b] = await Promise.all([createTenant(payload(fresh())), createTenant(payload(fresh()))]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      expect([a, b].find((response) => response.statusCode === 409)!.json<ErrorBody>()).toMatchObject({ code, details: [{ field }] });
    });

    it('is for platform operators: support gets 403, a tenant owner 403, anonymous 401', async () => {
      const payload = { name: 'Nope', email: `n-${unique()}@example.com` };
      expect((await createTenant(payload, supportToken)).statusCode).toBe(403);
      const { owner } = await fixtures.tenantWithOwner();
      expect((await createTenant(payload, (await login(handle.app, owner)).accessToken)).statusCode).toBe(403);
      expect((await request('POST', '/api/v1/platform/tenants', { payload })).statusCode).toBe(401);
    });
  });

  describe('GET|PATCH /platform/tenants', () => {
    it('lists with total, filters by status, searches slug/name/email, in a stable order', async () => {
      const tag = unique();
      const made: string[] = [];
      for (const name of ['Alpha', 'Beta', 'Gamma']) {
        made.push((await createTenant({ name: `${name} ${tag}`, email: `${name.toLowerCase()}-${tag}@example.com` })).json<Provisioned>().tenant.id);
      }
      const page = await request('GET', `/api/v1/platform/tenants?search=${tag.toUpperCase()}&limit=2`, { token: supportToken });
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: Array<{ id: string }>; total: number; limit: number; offset: number }>();
      expect(body).toMatchObject({ total: 3, limit: 2, offset: 0 });
      const next = (await request('GET', `/api/v1/platform/tenants?search=${tag}&limit=2&offset=2`, { token: supportToken })).json<typeof body>();
      expect([...body.items, ...next.items].map((item) => item.id)).toEqual([...made].reverse());

      await request('POST', `/api/v1/platform/tenants/${made[0]}/suspend`, { token: operatorToken, payload: {} });
      const suspended = (await request('GET', `/api/v1/platform/tenants?search=${tag}&status=SUSPENDED`, { token: supportToken })).json<typeof body>();
      expect(suspended.items.map((item) => item.id)).toEqual([made[0]]);
      expect((await request('GET', '/api/v1/platform/tenants?status=BOGUS', { token: supportToken })).statusCode).toBe(400);
    });

    it('gets one tenant (404 for an unknown id) and patches it, audited', async () => {
      const created = (await createTenant({ name: 'Patch Me', email: `pm-${unique()}@example.com`, phoneNumberId: `ph-${unique()}` })).json<Provisioned>();
      const id = created.tenant.id;
      expect((await request('GET', `/api/v1/platform/tenants/${id}`, { token: supportToken })).json()).toMatchObject({ id, statusReason: null });
      expect((await request('GET', '/api/v1/platform/tenants/00000000-0000-7000-8000-000000000000', { token: supportToken })).json<ErrorBody>().code).toBe('TENANT_NOT_FOUND');

      const patched = await request('PATCH', `/api/v1/platform/tenants/${id}`, {
        token: operatorToken,
        payload: { name: 'Patched', settings: { language: 'de' }, phoneNumberId: null, commissionPercent: 7.25 },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ name: 'Patched', settings: { timezone: 'UTC', language: 'de' }, phoneNumberId: null, commissionPercent: 7.25 });
      expect((await request('PATCH', `/api/v1/platform/tenants/${id}`, { token: supportToken, payload: { name: 'x' } })).statusCode).toBe(403);
      expect((await request('PATCH', `/api/v1/platform/tenants/${id}`, { token: operatorToken, payload: { slug: 'new-slug' } })).statusCode).toBe(400);
      const [event] = await fixtures.query<{ metadata: { changed: string[] } }>(`SELECT metadata FROM audit_events WHERE action = 'tenant.updated' AND "tenantId" = $1`, [id]);
      expect(event.metadata.changed.sort()).toEqual(['commissionPercent', 'name', 'phoneNumberId', 'settings']);
    });
  });

  describe('lifecycle', () => {
    const act = (id: string, action: string, reason?: string) =>
      request('POST', `/api/v1/platform/tenants/${id}/${action}`, { token: operatorToken, payload: reason ? { reason } : {} });

    async function provisioned() {
      const body = (await createTenant({ name: `Life ${unique()}`, email: `life-${unique()}@example.com`, ownerEmail: `owner-${unique()}@example.com` })).json<Provisioned>();
      const member = await fixtures.user();
      await fixtures.member(body.tenant.id, member.id, 'ADMIN');
      return { ...body, secretKey: body.apiKey.secretKey, member };
    }

    it('walks active -> suspended -> active -> deprovisioning -> deleted, each audited with the operator', async () => {
      const { tenant } = await provisioned();
      const steps: Array<[string, string]> = [
        ['suspend', 'SUSPENDED'],
        ['resume', 'ACTIVE'],
        ['suspend', 'SUSPENDED'],
        ['deprovision', 'DEPROVISIONING'],
        ['finalize', 'DELETED'],
      ];
      for (const [action, status] of steps) {
        const response = await act(tenant.id, action, `because ${action}`);
        expect({ action, status: response.statusCode, body: response.json<{ status: string; statusReason: string }>() }).toMatchObject({
          action,
          status: 200,
          body: { status, statusReason: `because ${action}` },
        });
      }
      const events = await fixtures.query<{ action: string; actorId: string; metadata: { from: string; to: string } }>(
        `SELECT action, "actorId", metadata FROM audit_events WHERE "tenantId" = $1 AND action LIKE 'tenant.%' AND action <> 'tenant.created' ORDER BY "occurredAt", id`,
        [tenant.id],
      );
      expect(events.map((event) => [event.action, event.metadata.from, event.metadata.to, event.actorId])).toEqual([
        ['tenant.suspend', 'ACTIVE', 'SUSPENDED', operator.id],
        ['tenant.resume', 'SUSPENDED', 'ACTIVE', operator.id],
        ['tenant.suspend', 'ACTIVE', 'SUSPENDED', operator.id],
        ['tenant.deprovision', 'SUSPENDED', 'DEPROVISIONING', operator.id],
        ['tenant.finalize', 'DEPROVISIONING', 'DELETED', operator.id],
      ]);
    });

    it('active -> deprovisioning directly is legal', async () => {
      const { tenant } = await provisioned();
      expect((await act(tenant.id, 'deprovision')).json()).toMatchObject({ status: 'DEPROVISIONING', statusReason: null });
    });

    it.each([
      [[], 'resume'],
      [[], 'finalize'],
      [['suspend'], 'suspend'],
      [['suspend'], 'finalize'],
      [['deprovision'], 'suspend'],
      [['deprovision'], 'resume'],
      [['deprovision'], 'deprovision'],
      [['deprovision', 'finalize'], 'resume'],
      [['deprovision', 'finalize'], 'suspend'],
      [['deprovision', 'finalize'], 'deprovision'],
    ])('after %j, %s is 409 INVALID_TRANSITION and changes nothing', async (before, action) => {
      const { tenant } = await provisioned();
      for (const step of before) expect((await act(tenant.id, step)).statusCode).toBe(200);
      const status = (await request('GET', `/api/v1/platform/tenants/${tenant.id}`, { token: operatorToken })).json<{ status: string }>().status;
      const response = await act(tenant.id, action);
      expect(response.statusCode).toBe(409);
      expect(response.json<ErrorBody>().code).toBe('INVALID_TRANSITION');
      expect((await request('GET', `/api/v1/platform/tenants/${tenant.id}`, { token: operatorToken })).json()).toMatchObject({ status });
    });

    it('unknown tenant: 404; a bad id: 400; support may not transition', async () => {
      expect((await act('00000000-0000-7000-8000-000000000000', 'suspend')).statusCode).toBe(404);
      expect((await act('nope', 'suspend')).statusCode).toBe(400);
      const { tenant } = await provisioned();
      expect((await request('POST', `/api/v1/platform/tenants/${tenant.id}/suspend`, { token: supportToken, payload: {} })).statusCode).toBe(403);
    });

    it('suspended: its users and keys get 403 TENANT_SUSPENDED; operators still read; resume restores access', async () => {
      const { tenant, secretKey, member } = await provisioned();
      const memberToken = (await login(handle.app, member, tenant.id)).accessToken;
      expect((await request('GET', '/api/v1/account', { token: memberToken })).statusCode).toBe(200);
      await act(tenant.id, 'suspend', 'unpaid invoices');

      for (const token of [memberToken, secretKey]) {
        const response = await request('GET', '/api/v1/api-keys', { token });
        expect(response.statusCode).toBe(403);
        expect(response.json<ErrorBody>().code).toBe('TENANT_SUSPENDED');
      }
      const account = await request('GET', '/api/v1/account', { token: secretKey });
      expect(account.json<ErrorBody>().code).toBe('TENANT_SUSPENDED');
      expect(account.body).not.toContain('unpaid');

      const override = await handle.app.inject({ method: 'GET', url: '/api/v1/account', headers: { ...bearer(operatorToken), 'x-operator-override': tenant.id } });
      expect(override.statusCode).toBe(200);
      expect(override.json()).toMatchObject({ id: tenant.id, status: 'SUSPENDED' });

      await act(tenant.id, 'resume');
      expect((await request('GET', '/api/v1/account', { token: secretKey })).statusCode).toBe(200);
      expect((await request('GET', '/api/v1/account', { token: memberToken })).statusCode).toBe(200);
    });

    it('deprovisioning locks the tenant out; finalize removes its data, keeps the trail, frees its routing ids; finalize again is a no-op', async () => {
      const { tenant, secretKey, member } = await provisioned();
      await request('PATCH', `/api/v1/platform/tenants/${tenant.id}`, { token: operatorToken, payload: { domain: `${tenant.slug}.example.com`, phoneNumberId: `ph-${tenant.slug}` } });
      const memberToken = (await login(handle.app, member, tenant.id)).accessToken;
      await act(tenant.id, 'deprovision');
      expect((await request('GET', '/api/v1/account', { token: secretKey })).json<ErrorBody>().code).toBe('TENANT_UNAVAILABLE');
      expect(await rowsOfTenant(tenant.id)).toMatchObject({ segments: 1, packages: 3, apiKeys: 1 });

      const finalized = await act(tenant.id, 'finalize');
      expect(finalized.json()).toMatchObject({ status: 'DELETED', domain: null, phoneNumberId: null });
      expect(await rowsOfTenant(tenant.id)).toEqual({ tenants: 1, memberships: 0, segments: 0, packages: 0, apiKeys: 0 });
      expect((await request('GET', '/api/v1/account', { token: secretKey })).statusCode).toBe(401);
      expect((await request('GET', '/api/v1/account', { token: memberToken })).statusCode).toBe(401);
      const eventsBefore = await fixtures.query(`SELECT id FROM audit_events WHERE "tenantId" = $1`, [tenant.id]);
      expect(eventsBefore.length).toBeGreaterThanOrEqual(3);

      const again = await act(tenant.id, 'finalize');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ status: 'DELETED' });
      expect(await fixtures.query(`SELECT id FROM audit_events WHERE "tenantId" = $1`, [tenant.id])).toHaveLength(eventsBefore.length);

      // The released phone number id can route to another tenant now.
      expect((await createTenant({ name: 'Heir', email: `heir-${unique()}@example.com`, phoneNumberId: `ph-${tenant.slug}` })).statusCode).toBe(201);
    });

    it('concurrent finalizes: all 200, one audit event', async () => {
      const { tenant } = await provisioned();
      await act(tenant.id, 'deprovision');
      const responses = await Promise.all(Array.from({ length: 5 }, () => act(tenant.id, 'finalize')));
      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expect(await fixtures.query(`SELECT id FROM audit_events WHERE "tenantId" = $1 AND action = 'tenant.finalize'`, [tenant.id])).toHaveLength(1);
    });
  });

  describe('GET|PATCH /account', () => {
    it('shows exactly the tenant-facing fields and accepts only name, email and settings', async () => {
      const body = (await signup({ email: `acct-${unique()}@example.com`, password: PASSWORD, businessName: `Account ${unique()}` })).json<Provisioned & { accessToken: string }>();
      await request('POST', `/api/v1/platform/tenants/${body.tenant.id}/suspend`, { token: operatorToken, payload: { reason: 'secret reason' } });
      await request('POST', `/api/v1/platform/tenants/${body.tenant.id}/resume`, { token: operatorToken, payload: { reason: 'secret reason 2' } });
      const account = await request('GET', '/api/v1/account', { token: body.accessToken });
      expect(Object.keys(account.json()).sort()).toEqual(['createdAt', 'domain', 'email', 'id', 'name', 'settings', 'slug', 'status', 'updatedAt']);
      expect(account.body).not.toContain('secret reason');

      const patched = await request('PATCH', '/api/v1/account', { token: body.accessToken, payload: { name: 'Renamed', settings: { timezone: 'America/New_York' } } });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ name: 'Renamed', settings: { timezone: 'America/New_York', language: 'en' } });
      for (const forbidden of [{ commissionPercent: 0 }, { statusReason: 'x' }, { status: 'ACTIVE' }, { domain: 'x.example.com' }, { phoneNumberId: '1' }, { slug: 'other' }]) {
        const response = await request('PATCH', '/api/v1/account', { token: body.accessToken, payload: forbidden });
        expect({ forbidden, status: response.statusCode }).toEqual({ forbidden, status: 400 });
      }
      const [row] = await fixtures.query<{ commissionPercent: string }>('SELECT "commissionPercent" FROM tenants WHERE id = $1', [body.tenant.id]);
      expect(Number(row.commissionPercent)).toBe(10);
    });

    it('a MEMBER may read but not change the account', async () => {
      const { tenant } = await fixtures.tenantWithOwner();
      const member = await fixtures.user();
      await fixtures.member(tenant.id, member.id, 'MEMBER');
      const token = (await login(handle.app, member, tenant.id)).accessToken;
      expect((await request('GET', '/api/v1/account', { token })).statusCode).toBe(200);
      expect((await request('PATCH', '/api/v1/account', { token, payload: { name: 'x' } })).statusCode).toBe(403);
    });
  });
});
