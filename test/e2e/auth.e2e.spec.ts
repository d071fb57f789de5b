import { Controller, Get } from '@nestjs/common';
import { SignJWT } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/auth.constants';
import { bearer, cookieHeader, IdentityFixtures, login } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

interface TokensBody {
  accessToken: string;
  refreshToken: string;
  tenantId: string | null;
}
interface PageBody {
  items: Array<{ id: string }>;
}
interface ErrorBody {
  code: string;
  details: Array<{ field: string }>;
}
const ids = (page: PageBody) => page.items.map((item) => item.id);

const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';

// A route someone forgot to decorate: the strictest default refuses it for everyone.
@Controller('test-undeclared')
class UndeclaredController {
  @Get()
  get(): string {
    return 'should never be served';
  }
}

describe('auth: login, sessions, credentials', () => {
  const handle = useTestApp({ env: { JWT_SECRET, TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' }, controllers: [UndeclaredController] });
  let fixtures: IdentityFixtures;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
  });
  afterAll(() => fixtures.close());

  const listKeys = (headers: Record<string, string>) => handle.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers });

  describe('login', () => {
    it('returns an access token, a refresh token and the session cookies', async () => {
      const { tenant, owner } = await fixtures.tenantWithOwner();
      const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email.toUpperCase(), password: owner.password } });
      expect(response.statusCode).toBe(200);
      const body = response.json<TokensBody>();
      expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, tenantId: tenant.id, role: 'OWNER', user: { id: owner.id, email: owner.email } });
      expect(body.refreshToken).toMatch(/^rt_/);
      expect(JSON.stringify(body)).not.toMatch(/passwordHash|argon2/);
      const setCookie = response.headers['set-cookie'] as string[];
      expect(setCookie.find((line) => line.startsWith('access_token='))).toMatch(/HttpOnly/);
      expect(setCookie.find((line) => line.startsWith('tenant_sig='))).toMatch(/Secure; SameSite=Strict/);
      expect((await listKeys(bearer(body.accessToken))).statusCode).toBe(200);
    });

    it('answers unknown email and wrong password identically, in similar time', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const attempt = async (email: string) => {
        const started = process.hrtime.bigint();
        const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong-password' } });
        return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.statusCode, body: { ...response.json(), requestId: undefined } };
      };
      const wrongPassword = [];
      const unknownEmail = [];
      // argon2id now costs ~15 ms, so a loaded machine's noise is a larger share: 9 interleaved runs.
      for (let i = 0; i < 9; i++) {
        wrongPassword.push(await attempt(owner.email));
        unknownEmail.push(await attempt(`nobody-${i}@example.com`));
      }
      expect(unknownEmail[0].status).toBe(401);
      expect(unknownEmail[0].body).toEqual(wrongPassword[0].body);
      expect(wrongPassword[0].body).toEqual({ code: 'INVALID_CREDENTIALS', error: 'Email or password is incorrect' });
      const median = (runs: Array<{ ms: number }>) => runs.map((run) => run.ms).sort((a, b) => a - b)[4];
      // Both run one argon2id verification; without the dummy hash the unknown email answers ~100x faster.
      expect(median(unknownEmail) / median(wrongPassword)).toBeGreaterThan(0.5);
      expect(median(unknownEmail) / median(wrongPassword)).toBeLessThan(2);
    });

    it('refuses a tenant the user is not a member of', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const other = await fixtures.tenant();
      const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: owner.password, tenantId: other.id } });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('MEMBERSHIP_REQUIRED');
    });

    it('validates its input', async () => {
      const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'not-an-email', password: '' } });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details.map((detail) => detail.field).sort()).toEqual(['email', 'password']);
    });
  });

  describe('credentials', () => {
    it('401 with the envelope without a credential, or with a malformed one', async () => {
      for (const headers of [{}, { authorization: 'Basic abc' }, bearer('not.a.jwt'), bearer('sk_nothing')]) {
        const response = await listKeys(headers);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', requestId: expect.any(String) });
      }
    });

    it('refuses expired, forged and wrongly signed access tokens', async () => {
      const { tenant, owner } = await fixtures.tenantWithOwner();
      const session = await login(handle.app, owner);
      const [, payload] = session.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const sign = (secret: string, exp: number) =>
        new SignJWT({ ...claims, exp }).setProtectedHeader({ alg: 'HS256' }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).sign(new TextEncoder().encode(secret));
      const now = Math.floor(Date.now() / 1000);
      const expired = await sign(JWT_SECRET, now - 5);
      const forged = await sign('another-secret-of-sufficient-length-000000', now + 600);
      const tampered = session.accessToken.replace(payload, Buffer.from(JSON.stringify({ ...claims, tid: tenant.id, role: 'OWNER', sv: 99 })).toString('base64url'));
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      for (const token of [expired, forged, tampered, unsigned]) {
        expect((await listKeys(bearer(token))).statusCode).toBe(401);
      }
      expect((await listKeys(bearer(await sign(JWT_SECRET, now + 600)))).statusCode).toBe(200);
    });

    it('API keys: valid works; revoked, expired, wrong secret are 401; a member role is not enough for admin routes', async () => {
      const tenant = await fixtures.tenant();
      const valid = await fixtures.apiKey(tenant.id);
      const revoked = await fixtures.apiKey(tenant.id, { revoked: true });
      const expired = await fixtures.apiKey(tenant.id, { expiresAt: new Date(Date.now() - 1000) });
      expect((await listKeys(bearer(valid.secret))).statusCode).toBe(200);
      for (const secret of [revoked.secret, expired.secret, `${valid.secret.slice(0, -4)}AAAA`]) {
        expect((await listKeys(bearer(secret))).statusCode).toBe(401);
      }
      const narrow = await fixtures.apiKey(tenant.id, { scopes: ['segments:read'] });
      expect((await listKeys(bearer(narrow.secret))).statusCode).toBe(403);

      const member = await fixtures.user();
      await fixtures.member(tenant.id, member.id, 'MEMBER');
      const response = await listKeys(bearer((await login(handle.app, member)).accessToken));
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('FORBIDDEN');
    });

    it('service accounts authenticate with their keys but reach no tenant route', async () => {
      const account = await fixtures.serviceAccount(['tenants:lookup']);
      expect((await listKeys(bearer(account.secret))).statusCode).toBe(403);
      const revoked = await fixtures.serviceAccount(['tenants:lookup'], { revoked: true });
      expect((await listKeys(bearer(revoked.secret))).statusCode).toBe(401);
    });

    it('records when an API key was last used', async () => {
      const tenant = await fixtures.tenant();
      const key = await fixtures.apiKey(tenant.id);
      await listKeys(bearer(key.secret));
      for (let i = 0; i < 50; i++) {
        const [row] = await fixtures.query<{ lastUsedAt: Date | null }>(`SELECT "lastUsedAt" FROM api_keys WHERE id = $1`, [key.id]);
        if (row.lastUsedAt) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('lastUsedAt was never written');
    });

    it('a route without an access decorator is refused even to an owner', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const response = await handle.app.inject({ method: 'GET', url: '/api/v1/test-undeclared', headers: bearer((await login(handle.app, owner)).accessToken) });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('ROUTE_ACCESS_UNDECLARED');
    });
  });

  describe('refresh tokens', () => {
    const refresh = (refreshToken: string) => handle.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

    it('rotate: each refresh token works once and yields a new pair', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const session = await login(handle.app, owner);
      const first = await refresh(session.refreshToken);
      expect(first.statusCode).toBe(200);
      expect(first.json<TokensBody>().refreshToken).not.toBe(session.refreshToken);
      expect((await listKeys(bearer(first.json<TokensBody>().accessToken))).statusCode).toBe(200);
      expect((await refresh(first.json<TokensBody>().refreshToken)).statusCode).toBe(200);
    });

    it('reuse of a rotated token revokes the whole family, access tokens included', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const session = await login(handle.app, owner);
      const rotated = (await refresh(session.refreshToken)).json<TokensBody>();
      const reuse = await refresh(session.refreshToken);
      expect(reuse.statusCode).toBe(401);
      expect(reuse.json().code).toBe('REFRESH_TOKEN_INVALID');
      expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
      expect((await listKeys(bearer(rotated.accessToken))).statusCode).toBe(401);
      expect((await listKeys(bearer(session.accessToken))).statusCode).toBe(401);
      const [event] = await fixtures.query(`SELECT action FROM audit_events WHERE action = 'auth.refresh_reuse' AND "targetId" = $1`, [owner.id]);
      expect(event).toBeDefined();
      // Another session of the same user is untouched.
      expect((await listKeys(bearer((await login(handle.app, owner)).accessToken))).statusCode).toBe(200);
    });

    it('two concurrent refreshes with one token: exactly one wins', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const session = await login(handle.app, owner);
      const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(session.refreshToken)));
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
    });

    it('unknown and malformed refresh tokens are 401', async () => {
      expect((await refresh('rt_unknown')).statusCode).toBe(401);
      expect((await handle.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {} })).statusCode).toBe(400);
    });
  });

  describe('current session', () => {
    it('names the user, the live role and status, platform scopes and every membership, oldest first', async () => {
      const { tenant, owner } = await fixtures.tenantWithOwner('First');
      const second = await fixtures.tenant('Second');
      await fixtures.member(second.id, owner.id, 'MEMBER');
      const session = await login(handle.app, owner, tenant.id);

      const response = await handle.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(session.accessToken) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        user: { id: owner.id, email: owner.email },
        tenantId: tenant.id,
        role: 'OWNER',
        tenantStatus: 'ACTIVE',
        platformScopes: [],
        memberships: [
          { tenantId: tenant.id, name: 'First', slug: tenant.slug, status: 'ACTIVE', role: 'OWNER' },
          { tenantId: second.id, name: 'Second', slug: second.slug, status: 'ACTIVE', role: 'MEMBER' },
        ],
      });

      // The cookie session reads the same; no credential, or an API key (no session), is refused.
      const viaCookie = await handle.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookieHeader(session.cookies) } });
      expect(viaCookie.json()).toMatchObject({ tenantId: tenant.id, role: 'OWNER' });
      expect((await handle.app.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
      const { key } = await fixtures.tenantWithOwner();
      expect((await handle.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(key.secret) })).statusCode).toBe(403);
    });
  });

  describe('logout', () => {
    it('logout ends this session only', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const mine = await login(handle.app, owner);
      const other = await login(handle.app, owner);
      const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(mine.accessToken) });
      expect(response.statusCode).toBe(204);
      expect((await listKeys(bearer(mine.accessToken))).statusCode).toBe(401);
      expect((await handle.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: mine.refreshToken } })).statusCode).toBe(401);
      expect((await listKeys(bearer(other.accessToken))).statusCode).toBe(200);
    });

    it('logout-all invalidates every earlier access and refresh token', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const sessions = [await login(handle.app, owner), await login(handle.app, owner), await login(handle.app, owner)];
      expect((await handle.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: bearer(sessions[0].accessToken) })).statusCode).toBe(204);
      for (const session of sessions) {
        expect((await listKeys(bearer(session.accessToken))).statusCode).toBe(401);
        expect((await handle.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } })).statusCode).toBe(401);
      }
      expect((await listKeys(bearer((await login(handle.app, owner)).accessToken))).statusCode).toBe(200);
    });

    it('API keys have no session to end', async () => {
      const tenant = await fixtures.tenant();
      const key = await fixtures.apiKey(tenant.id);
      expect((await handle.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(key.secret) })).statusCode).toBe(403);
    });
  });

  describe('switch-tenant and the tenant_sig cookie', () => {
    it('switches to a tenant with a membership and signs the cookie for it', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const second = await fixtures.tenant();
      await fixtures.member(second.id, owner.id, 'ADMIN');
      const session = await login(handle.app, owner);
      const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/switch-tenant', headers: bearer(session.accessToken), payload: { tenantId: second.id } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ tenantId: second.id, role: 'ADMIN' });
      const setCookie = (response.headers['set-cookie'] as string[]).join('\n');
      expect(setCookie).toMatch(/tenant_sig=v1\./);
      const key = await fixtures.apiKey(second.id);
      const listed = await listKeys(bearer(response.json<TokensBody>().accessToken));
      expect(ids(listed.json<PageBody>())).toEqual([key.id]);
      // Refreshing keeps the session in the tenant it switched to.
      const refreshed = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } });
      expect(refreshed.json().tenantId).toBe(second.id);
    });

    it('403 for a tenant without a membership', async () => {
      const { owner } = await fixtures.tenantWithOwner();
      const stranger = await fixtures.tenant();
      const session = await login(handle.app, owner);
      const response = await handle.app.inject({ method: 'POST', url: '/api/v1/auth/switch-tenant', headers: bearer(session.accessToken), payload: { tenantId: stranger.id } });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('MEMBERSHIP_REQUIRED');
    });

    it('cookie sessions need a tenant_sig that matches tenant, user and session', async () => {
      const a = await fixtures.tenantWithOwner();
      const b = await fixtures.tenantWithOwner();
      const sessionA = await login(handle.app, a.owner);
      const sessionB = await login(handle.app, b.owner);
      const withCookies = (cookies: Record<string, string>) => listKeys({ cookie: cookieHeader(cookies) });
      expect((await withCookies(sessionA.cookies)).statusCode).toBe(200);
      const cases = {
        missing: { access_token: sessionA.cookies.access_token },
        forged: { ...sessionA.cookies, tenant_sig: 'v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        garbage: { ...sessionA.cookies, tenant_sig: 'garbage' },
        otherSession: { ...sessionA.cookies, tenant_sig: sessionB.cookies.tenant_sig },
      };
      for (const [name, cookies] of Object.entries(cases)) {
        const response = await withCookies(cookies);
        expect({ name, status: response.statusCode, code: response.json().code }).toEqual({ name, status: 403, code: 'TENANT_SIGNATURE_INVALID' });
      }
      // A bearer request that sends a mismatched cookie anyway is held to it too.
      const mixed = await listKeys({ ...bearer(sessionA.accessToken), cookie: cookieHeader({ tenant_sig: sessionB.cookies.tenant_sig }) });
      expect(mixed.statusCode).toBe(403);
    });
  });

  describe('operators', () => {
    it('read a tenant with X-Operator-Override on GET, audited; never write with it', async () => {
      const { tenant, key } = await fixtures.tenantWithOwner();
      const support = await fixtures.user({ platformScopes: ['support:read'] });
      const token = (await login(handle.app, support)).accessToken;

      const read = await listKeys({ ...bearer(token), 'x-operator-override': tenant.id });
      expect(read.statusCode).toBe(200);
      expect(ids(read.json<PageBody>())).toEqual([key.id]);
      const audited = await fixtures.query(`SELECT "actorId", "tenantId" FROM audit_events WHERE action = 'operator.override' AND "actorId" = $1`, [support.id]);
      expect(audited).toEqual([{ actorId: support.id, tenantId: tenant.id }]);

      const write = await handle.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { ...bearer(token), 'x-operator-override': tenant.id }, payload: { name: 'x' } });
      expect(write.statusCode).toBe(403);
      expect(write.json().code).toBe('OPERATOR_OVERRIDE_READ_ONLY');
      const refused = await fixtures.query(`SELECT metadata->>'reason' AS reason FROM audit_events WHERE action = 'operator.override.refused' AND "actorId" = $1`, [support.id]);
      expect(refused).toEqual([{ reason: 'not a safe method' }]);
    });

    it('the override is refused to non-operators and for unknown tenants', async () => {
      const a = await fixtures.tenantWithOwner();
      const b = await fixtures.tenant();
      const ownerToken = (await login(handle.app, a.owner)).accessToken;
      expect((await listKeys({ ...bearer(ownerToken), 'x-operator-override': b.id })).statusCode).toBe(403);
      expect((await listKeys({ ...bearer(a.key.secret), 'x-operator-override': b.id })).statusCode).toBe(403);
      const operator = await fixtures.user({ platformScopes: ['platform:operator'] });
      const operatorToken = (await login(handle.app, operator)).accessToken;
      expect((await listKeys({ ...bearer(operatorToken), 'x-operator-override': '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
      // Refused uses are audited too, with the principal who tried.
      const refused = await fixtures.query(`SELECT "actorId", metadata->>'reason' AS reason FROM audit_events WHERE action = 'operator.override.refused' AND "actorId" IN ($1, $2) ORDER BY "occurredAt"`, [a.owner.id, operator.id]);
      expect(refused).toEqual([
        { actorId: a.owner.id, reason: 'not an operator' },
        { actorId: operator.id, reason: 'unknown tenant' },
      ]);
      // Without the override an operator has no tenant of its own.
      expect((await listKeys(bearer(operatorToken))).statusCode).toBe(403);
    });
  });

  it('GET /metrics exposes request durations and isolation denials', async () => {
    const response = await handle.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/api-keys"/);
    expect(response.body).toMatch(/tenant_isolation_denials_total\{reason="tenant_signature"\} [1-9]/);
    expect(response.body).toMatch(/tenant_isolation_denials_total\{reason="operator_override_write"\} [1-9]/);
  });
});
