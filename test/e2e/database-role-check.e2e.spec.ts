import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ServerProcess } from '../support/server-process';
import { adminQuery, createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/test-database';

const MAIN = 'dist/main.js';
const SECRETS = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };

/**
 * The server started as its own process on DATABASE_URL with roles that lack what wall 5 needs.
 * Roles are cluster-wide: each name is unique to this run and dropped afterwards (after the
 * database that holds their table privileges).
 */
describeWithPostgres('database role check at start-up', () => {
  const suffix = randomBytes(4).toString('hex');
  const role = (name: string) => `tp_role_${name}_${suffix}`;
  /** Everything an application role needs: BYPASSRLS, membership of app_tenant, DML on the tables. */
  const GOOD = role('good');
  /** Everything but the membership: cannot switch to app_tenant. */
  const NOT_MEMBER = role('notmember');
  /** Everything but BYPASSRLS: the API key lookup would find nothing, every key 401. */
  const NO_BYPASS = role('nobypass');
  const roles = [GOOD, NOT_MEMBER, NO_BYPASS];
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  async function sql(statement: string): Promise<void> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await adminQuery(`CREATE ROLE "${GOOD}" LOGIN BYPASSRLS; GRANT app_tenant TO "${GOOD}"`);
    await adminQuery(`CREATE ROLE "${NOT_MEMBER}" LOGIN BYPASSRLS`);
    await adminQuery(`CREATE ROLE "${NO_BYPASS}" LOGIN; GRANT app_tenant TO "${NO_BYPASS}"`);
    await sql(roles.map((name) => `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${name}";`).join('\n'));
  });

  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database?.drop();
    for (const name of roles) await adminQuery(`DROP ROLE IF EXISTS "${name}"`);
  });

  function start(asRole: string): ServerProcess {
    const url = new URL(database.url);
    url.username = asRole;
    const server = ServerProcess.start(MAIN, { DATABASE_URL: url.toString(), ...SECRETS });
    servers.push(server);
    return server;
  }

  /** Exit 1 with one message (no stack trace) that names the role, the problem and the SQL fix. */
  async function expectRefused(server: ServerProcess, ...expected: string[]): Promise<void> {
    expect(await server.exited).toBe(1);
    expect(server.stderr).toMatch(/^Database role check failed: the role "tp_role_\w+" cannot run tenant-scoped work/);
    for (const text of expected) expect(server.stderr).toContain(text);
    expect(server.stderr).not.toMatch(/\n\s+at /);
    expect(server.stdout).not.toContain('listening on');
  }

  it('a role that is not a member of app_tenant: exit 1, GRANT app_tenant TO it', async () => {
    await expectRefused(start(NOT_MEMBER), `may not switch to "app_tenant"`, `Fix: GRANT "app_tenant" TO "${NOT_MEMBER}";`);
  });

  it('a role without BYPASSRLS: exit 1, says every API key would be 401, ALTER ROLE ... BYPASSRLS', async () => {
    await expectRefused(start(NO_BYPASS), 'every API key would answer 401', `Fix: ALTER ROLE "${NO_BYPASS}" BYPASSRLS;`);
  });

  it('app_tenant missing privileges on a tenant-owned table: exit 1, the GRANT that restores them', async () => {
    await sql(`REVOKE SELECT, DELETE ON packages FROM app_tenant`);
    try {
      await expectRefused(start(GOOD), `"app_tenant" lacks SELECT, DELETE on the tenant-owned table "packages"`, 'Fix: GRANT SELECT, DELETE ON "packages" TO "app_tenant";');
    } finally {
      await sql(`GRANT SELECT, DELETE ON packages TO app_tenant`);
    }
  });

  it('a non-superuser role with what the docs list starts and serves API keys; readiness follows a later REVOKE', async () => {
    const server = start(GOOD);
    const base = await server.listening();
    const ready = () => fetch(`${base}/api/v1/health/ready`).then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } }));
    expect((await ready()).status).toBe(200);

    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `role-${suffix}@example.com`, password: 'a sound password 2026', businessName: `Role ${suffix}` }),
    });
    expect(signup.status).toBe(201);
    const { apiKey } = (await signup.json()) as { apiKey: { secretKey: string } };
    const packages = await fetch(`${base}/api/v1/packages`, { headers: { authorization: `Bearer ${apiKey.secretKey}` } });
    expect(packages.status).toBe(200);

    // The role loses its membership under the running server: within the probe's cache age, readiness says so.
    await adminQuery(`REVOKE app_tenant FROM "${GOOD}"`);
    let answer = await ready();
    for (const deadline = Date.now() + 20_000; answer.status === 200 && Date.now() < deadline; answer = await ready()) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(answer).toEqual({ status: 503, body: expect.objectContaining({ code: 'DATABASE_ROLE_INSUFFICIENT' }) });
    expect(JSON.stringify(answer.body)).not.toContain(GOOD); // the public answer names no role; the log does
    const fix = `GRANT \\"app_tenant\\" TO \\"${GOOD}\\"`;
    expect(await server.logged(fix)).toContain(fix);

    await adminQuery(`GRANT app_tenant TO "${GOOD}"`);
    for (const deadline = Date.now() + 20_000; answer.status !== 200 && Date.now() < deadline; answer = await ready()) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(answer.status).toBe(200);
  }, 60_000);
});
