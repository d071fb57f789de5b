import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { IdentityFixtures } from '../support/identity-fixtures';
import { PgBouncer, pgbouncerBinary } from '../support/pgbouncer';
import { ServerProcess } from '../support/server-process';
import { createTestDatabase, describeWithPostgres, TestDatabase } from '../support/test-database';
import { testEnv } from '../support/test-environment';

const MAIN = 'dist/main.js';
/** CI raises it (PGBOUNCER_TEST_REQUESTS=20000 in .ci/run); a local run stays short. */
const REQUESTS = Number(process.env.PGBOUNCER_TEST_REQUESTS ?? 3_000);
const CONCURRENCY = 16;
const TENANTS = 20;
/** Fewer server connections than the two servers' pools (2 × 5): every connection is shared. */
const PGBOUNCER_POOL_SIZE = 3;

interface Tenant {
  id: string;
  slug: string;
  key: string;
  /** Package ids this tenant owns (the defaults, then each one it creates). */
  packages: string[];
  /** Every package this test creates for the tenant carries it in its name. */
  marker: string;
}

/** In CI a missing pgbouncer fails the run (.ci/run installs it); elsewhere the suite is skipped and listed. */
function describeWithPgBouncer(name: string, body: () => void): void {
  if (pgbouncerBinary() || process.env.CI) {
    describeWithPostgres(name, body);
    return;
  }
  appendFileSync(testEnv('skippedFile'), `${relative(process.cwd(), expect.getState().testPath ?? '')} :: ${name} [needs pgbouncer]\n`);
  describe.skip(`${name} [needs pgbouncer]`, body);
}

describeWithPgBouncer('two servers behind PgBouncer (transaction pooling) with Redis', () => {
  let database: TestDatabase;
  let bouncer: PgBouncer;
  const servers: ServerProcess[] = [];
  const urls: string[] = [];
  const tenants: Tenant[] = [];
  let operatorToken: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    bouncer = await PgBouncer.start(database.url, { poolSize: PGBOUNCER_POOL_SIZE });
    const env = {
      DATABASE_URL: bouncer.url,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `tp-test-${randomBytes(4).toString('hex')}:`,
      // Both servers must accept each other's tokens, as replicas do.
      JWT_SECRET: randomBytes(32).toString('base64'),
      TENANT_COOKIE_SECRET: randomBytes(32).toString('base64'),
    };
    for (let i = 0; i < 2; i += 1) servers.push(ServerProcess.start(MAIN, env));
    for (const server of servers) urls.push(await server.listening(60_000));

    for (let i = 0; i < TENANTS; i += 1) {
      const marker = `pgb-${i}-${randomBytes(3).toString('hex')}`;
      const response = await call(urls[i % 2], 'POST', '/api/v1/auth/signup', undefined, {
        email: `${marker}@example.com`,
        password: `Correct horse battery ${randomBytes(6).toString("hex")}`,
        businessName: `Tenant ${marker}`,
      });
      expect(response.status).toBe(201);
      const body = response.body as { tenant: { id: string; slug: string }; apiKey: { secretKey: string }; packages: { id: string }[] };
      tenants.push({ id: body.tenant.id, slug: body.tenant.slug, key: body.apiKey.secretKey, packages: body.packages.map((p) => p.id), marker });
    }

    const fixtures = await IdentityFixtures.connect(database.url);
    const operator = await fixtures.user({ platformScopes: ['platform:operator'] }).finally(() => fixtures.close());
    const session = await call(urls[0], 'POST', '/api/v1/auth/login', undefined, { email: operator.email, password: operator.password });
    expect(session.status).toBe(200);
    operatorToken = (session.body as { accessToken: string }).accessToken;
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    await bouncer?.stop();
    await database?.drop();
  });

  it(`answers ${REQUESTS} mixed requests of ${TENANTS} tenants, every one with that tenant's data only`, async () => {
    const mismatches: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < REQUESTS) {
        const n = sent++;
        const tenant = tenants[n % TENANTS];
        const url = urls[Math.floor(n / TENANTS) % 2];
        const problem = await oneRequest(url, tenant, tenants[(n + 1 + (n % (TENANTS - 1))) % TENANTS], n, statuses);
        if (problem) mismatches.push(`#${n} ${tenant.slug}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    process.stdout.write(`pgbouncer mix: ${REQUESTS} requests, ${mismatches.length} mismatches, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(mismatches).toHaveLength(0);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
  }, 900_000);

  it('a rename through one server shows on the other server’s storefront at once', async () => {
    const [tenant] = tenants;
    const before = await call(urls[1], 'GET', `/api/v1/storefront/${tenant.slug}`);
    expect(before.status).toBe(200); // now cached by server 1 (in Redis)
    const renamed = `Renamed ${tenant.marker}`;
    expect((await call(urls[0], 'PATCH', '/api/v1/account', tenant.key, { name: renamed })).status).toBe(200);
    const after = await call(urls[1], 'GET', `/api/v1/storefront/${tenant.slug}`);
    expect((after.body as { name: string }).name).toBe(renamed);
  });

  it('a tenant suspended through one server is refused by the other on its next request, and resumed likewise', async () => {
    const tenant = tenants[2];
    const account = () => call(urls[1], 'GET', '/api/v1/account', tenant.key);
    expect((await account()).status).toBe(200); // the tenant is now cached by server 1 (and in Redis)
    expect((await call(urls[0], 'POST', `/api/v1/platform/tenants/${tenant.id}/suspend`, operatorToken, { reason: 'coherence test' })).status).toBe(200);
    const suspended = await account();
    expect(suspended.status).toBe(403);
    expect((suspended.body as { code: string }).code).toBe('TENANT_SUSPENDED');
    expect((await call(urls[1], 'POST', `/api/v1/platform/tenants/${tenant.id}/resume`, operatorToken, {})).status).toBe(200);
    expect((await call(urls[0], 'GET', '/api/v1/account', tenant.key)).status).toBe(200);
  });

  it('a key revoked through one server is refused by the other on its next request', async () => {
    const tenant = tenants[1];
    const created = await call(urls[0], 'POST', '/api/v1/api-keys', tenant.key, { name: 'short-lived', scopes: ['catalog:read'] });
    expect(created.status).toBe(201);
    const { id, secretKey } = created.body as { id: string; secretKey: string };
    expect((await call(urls[1], 'GET', '/api/v1/packages', secretKey)).status).toBe(200);
    expect((await call(urls[0], 'DELETE', `/api/v1/api-keys/${id}`, tenant.key)).status).toBe(204);
    expect((await call(urls[1], 'GET', '/api/v1/packages', secretKey)).status).toBe(401);
  });
});

/** One request of the mix; returns what was wrong with its answer, if anything. */
async function oneRequest(url: string, tenant: Tenant, other: Tenant, n: number, statuses: Map<number, number>): Promise<string | undefined> {
  const kind = n % 20;
  let response: Answer;
  let check: (answer: Answer) => string | undefined;
  if (kind < 2) {
    response = await call(url, 'GET', '/api/v1/account', tenant.key);
    check = (answer) => {
      const account = answer.body as { id?: string; slug?: string };
      return answer.status === 200 && account.id === tenant.id ? undefined : `account answered ${answer.status} for ${account.id ?? 'nobody'}`;
    };
  } else if (kind < 10) {
    response = await call(url, 'GET', `/api/v1/packages?limit=20&offset=${n % 3}`, tenant.key);
    check = (answer) => {
      if (answer.status !== 200) return `list answered ${answer.status}`;
      const items = (answer.body as { items: PackageBody[] }).items;
      const foreign = items.filter((item) => !owns(tenant, item));
      return foreign.length ? `list returned packages it does not own: ${foreign.map((p) => p.id).join(', ')}` : undefined;
    };
  } else if (kind < 13) {
    const id = tenant.packages[n % tenant.packages.length];
    response = await call(url, 'GET', `/api/v1/packages/${id}`, tenant.key);
    check = (answer) => (answer.status === 200 && owns(tenant, answer.body as PackageBody) ? undefined : `own package answered ${answer.status}`);
  } else if (kind < 15) {
    const id = other.packages[n % other.packages.length];
    response = await call(url, 'GET', `/api/v1/packages/${id}`, tenant.key);
    check = (answer) => (answer.status === 404 ? undefined : `another tenant's package answered ${answer.status}`);
  } else if (kind < 18) {
    response = await call(url, 'POST', '/api/v1/packages', tenant.key, { name: `${tenant.marker} ${n}`, basePrice: n });
    check = (answer) => {
      if (answer.status !== 201) return `create answered ${answer.status} ${JSON.stringify(answer.body)}`;
      const created = answer.body as PackageBody;
      if (!owns(tenant, created)) return `create answered another tenant's package ${created.id}`;
      tenant.packages.push(created.id);
      return undefined;
    };
  } else {
    const id = tenant.packages[n % tenant.packages.length];
    response = await call(url, 'PATCH', `/api/v1/packages/${id}`, tenant.key, { description: `${tenant.marker} edit ${n}` });
    check = (answer) => (answer.status === 200 && owns(tenant, answer.body as PackageBody) ? undefined : `edit answered ${answer.status}`);
  }
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  return check(response);
}

interface PackageBody {
  id: string;
  name: string;
  tenantId?: string;
}

/** By id or by the tenant's marker in the name (a list may show a package whose create is still in flight). */
function owns(tenant: Tenant, item: PackageBody): boolean {
  if (item.tenantId !== undefined && item.tenantId !== tenant.id) return false;
  return tenant.packages.includes(item.id) || item.name.startsWith(`${tenant.marker} `);
}

interface Answer {
  status: number;
  body: unknown;
}

async function call(base: string, method: string, path: string, key?: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
