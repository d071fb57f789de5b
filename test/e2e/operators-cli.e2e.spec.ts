import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { IdentityFixtures } from '../support/identity-fixtures';
import { runNpmScript, type ScriptResult } from '../support/npm-script';
import { ServerProcess } from '../support/server-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MAIN = 'dist/main.js';
const SECRETS = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };
const PASSWORD = 'a sound password 2026';
const USAGE_ERROR = 2;
const UNKNOWN_USER = 3;
const UNKNOWN_SCOPE = 4;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type Cli = (script: 'operators:grant' | 'operators:revoke' | 'operators:list', args?: string[]) => Promise<ScriptResult>;

interface AuditEvent {
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  tenantId: string | null;
  metadata: Record<string, unknown>;
}

async function api(base: string, method: string, path: string, options: { token?: string; body?: object } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A person signing up through the API, as anyone would, then signing in. */
async function signUp(base: string): Promise<{ email: string; userId: string; token: string }> {
  const email = `ops-${unique()}@example.com`;
  const signup = await api(base, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, businessName: `Ops ${unique()}` } });
  expect(signup.status).toBe(201);
  const login = await api(base, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  expect(login.status).toBe(200);
  return { email, userId: (signup.body.user as { id: string }).id, token: login.body.accessToken as string };
}

async function auditEvents(base: string, token: string, action: string): Promise<AuditEvent[]> {
  const page = await api(base, 'GET', `/api/v1/platform/audit-events?actorType=CLI&action=${action}&limit=100`, { token });
  expect(page.status).toBe(200);
  return page.body.items as AuditEvent[];
}

/**
 * The first operator, as a person makes one: they sign up, the command line grants the scope, the
 * same session reaches operator routes at once (scopes are read per request), revoking ends it, and
 * both changes are in the audit trail with actor CLI.
 */
async function grantUseRevoke(base: string, cli: Cli): Promise<void> {
  const subject = await signUp(base);
  const tenants = (token: string) => api(base, 'GET', '/api/v1/platform/tenants', { token }).then((r) => r.status);
  expect(await tenants(subject.token)).toBe(403);

  // Emails are matched case-insensitively, as at login.
  const granted = await cli('operators:grant', ['--email', subject.email.toUpperCase(), '--scope', 'platform:operator']);
  expect(granted).toMatchObject({ code: 0, stdout: `Granted platform:operator to ${subject.email}. Scopes now: platform:operator\n` });
  expect(await tenants(subject.token)).toBe(200);
  const grants = (await auditEvents(base, subject.token, 'operator.scope_granted')).filter((e) => e.targetId === subject.userId);
  expect(grants).toEqual([
    {
      ...grants[0],
      actorType: 'CLI',
      actorId: null,
      targetType: 'user',
      tenantId: null,
      metadata: expect.objectContaining({ email: subject.email, scope: 'platform:operator', scopesBefore: [], scopesAfter: ['platform:operator'], osUser: expect.any(String) }),
    },
  ]);

  const revoked = await cli('operators:revoke', ['--email', subject.email, '--scope', 'platform:operator']);
  expect(revoked).toMatchObject({ code: 0, stdout: `Revoked platform:operator from ${subject.email}. Scopes now: (none)\n` });
  expect(await tenants(subject.token)).toBe(403);

  // support:read reads operator routes and nothing that writes; it can see the revocation.
  const support = await signUp(base);
  expect((await cli('operators:grant', ['--email', support.email, '--scope', 'support:read'])).code).toBe(0);
  expect(await tenants(support.token)).toBe(200);
  expect((await api(base, 'POST', '/api/v1/platform/tenants', { token: support.token, body: {} })).status).toBe(403);
  const revocations = (await auditEvents(base, support.token, 'operator.scope_revoked')).filter((e) => e.targetId === subject.userId);
  expect(revocations).toEqual([
    expect.objectContaining({ actorType: 'CLI', actorId: null, metadata: expect.objectContaining({ scope: 'platform:operator', scopesAfter: [] }) }),
  ]);

  const list = await cli('operators:list');
  expect(list.code).toBe(0);
  const rows = list.stdout.split('\n').map((line) => line.split(/ {2,}/));
  expect(rows[0]).toEqual(['EMAIL', 'SCOPES', 'USER ID']);
  expect(rows).toContainEqual([support.email, 'support:read', support.userId]);
  expect(rows.map((row) => row[0])).not.toContain(subject.email);
}

describe('operators CLI on DATABASE_URL', () => {
  let database: TestDatabase;
  let fixtures: IdentityFixtures;
  let server: ServerProcess;
  let base: string;
  const cli: Cli = (script, args = []) => runNpmScript(script, args, { DATABASE_URL: database.url });

  beforeAll(async () => {
    database = await createTestDatabase();
    fixtures = await IdentityFixtures.connect(database.url);
    server = ServerProcess.start(MAIN, { DATABASE_URL: database.url, ...SECRETS });
    base = await server.listening();
  });

  afterAll(async () => {
    server?.kill('SIGKILL');
    await fixtures?.close();
    await database?.drop();
  });

  const cliEvents = async (userId: string) =>
    (await fixtures.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE "actorType" = 'CLI' AND "targetId" = $1`, [userId]))[0].n;
  const scopesOf = async (userId: string) => (await fixtures.query<{ platformScopes: string[] }>(`SELECT "platformScopes" FROM users WHERE id = $1`, [userId]))[0].platformScopes;

  it('grant makes a signed-up user an operator of the running server, revoke ends it; both audited with actor CLI', async () => {
    await grantUseRevoke(base, cli);
  });

  it('granting a held scope or revoking one not held says so, exits 0, changes and records nothing', async () => {
    const user = await fixtures.user({ platformScopes: ['support:read'] });
    const again = await cli('operators:grant', ['--email', user.email, '--scope', 'support:read']);
    expect(again).toMatchObject({ code: 0, stdout: `${user.email} already holds support:read; nothing changed. Scopes now: support:read\n` });
    const absent = await cli('operators:revoke', ['--email', user.email, '--scope', 'platform:operator']);
    expect(absent).toMatchObject({ code: 0, stdout: `${user.email} does not hold platform:operator; nothing changed. Scopes now: support:read\n` });
    expect(await scopesOf(user.id)).toEqual(['support:read']);
    expect(await cliEvents(user.id)).toBe(0);
  });

  it('an unknown user exits 3, an unknown scope exits 4 naming the known ones; nothing changes', async () => {
    const user = await fixtures.user();
    const nobody = await cli('operators:grant', ['--email', `nobody-${unique()}@example.com`, '--scope', 'platform:operator']);
    expect(nobody.code).toBe(UNKNOWN_USER);
    expect(nobody.stderr).toMatch(/^No user has the email nobody-.*@example\.com\./);
    expect((await cli('operators:revoke', ['--email', `nobody-${unique()}@example.com`, '--scope', 'platform:operator'])).code).toBe(UNKNOWN_USER);

    for (const script of ['operators:grant', 'operators:revoke'] as const) {
      const result = await cli(script, ['--email', user.email, '--scope', 'platform:root']);
      expect(result).toMatchObject({ code: UNKNOWN_SCOPE, stderr: 'Unknown scope "platform:root". Known scopes: platform:operator, support:read.\n' });
    }
    expect(await scopesOf(user.id)).toEqual([]);
    expect(await cliEvents(user.id)).toBe(0);
  });

  it('a scope set by hand that the CLI does not hand out can still be revoked (support:* is honoured)', async () => {
    const user = await fixtures.user({ platformScopes: ['support:billing'] });
    expect((await cli('operators:grant', ['--email', user.email, '--scope', 'support:billing'])).code).toBe(UNKNOWN_SCOPE);
    expect(await cli('operators:revoke', ['--email', user.email, '--scope', 'support:billing'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Revoked support:billing/) });
    expect(await scopesOf(user.id)).toEqual([]);
    expect(await cliEvents(user.id)).toBe(1);
  });

  it.each([
    ['operators:grant', []],
    ['operators:grant', ['--email', 'a@example.com']],
    ['operators:revoke', ['--scope', 'platform:operator']],
    ['operators:grant', ['--email', 'a@example.com', '--scope', 'platform:operator', '--force']],
    ['operators:grant', ['--email', '--scope', 'platform:operator']],
    ['operators:grant', ['a@example.com', 'platform:operator']],
    ['operators:list', ['--email', 'a@example.com']],
  ] as const)('%s %j is a usage error: exit 2 and the usage on stderr', async (script, args) => {
    const result = await cli(script, [...args]);
    expect(result.code).toBe(USAGE_ERROR);
    expect(result.stderr).toContain('Usage:\n  npm run operators:grant -- --email <email> --scope <scope>');
    expect(result.stdout).toBe('');
  });

  it('concurrent grants of one scope change it once and record one event', async () => {
    const user = await fixtures.user();
    const results = await Promise.all(Array.from({ length: 4 }, () => cli('operators:grant', ['--email', user.email, '--scope', 'platform:operator'])));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(results.filter((r) => r.stdout.startsWith('Granted')).length).toBe(1);
    expect(results.filter((r) => r.stdout.includes('already holds')).length).toBe(3);
    expect(await scopesOf(user.id)).toEqual(['platform:operator']);
    expect(await cliEvents(user.id)).toBe(1);
  });
});

describe('operators CLI on the embedded database, while the server holds it', () => {
  let dataDir: string;
  let server: ServerProcess;
  let base: string;
  let printedUrl: string;
  const cli: Cli = (script, args = []) => runNpmScript(script, args, { DATABASE_URL: undefined, EMBEDDED_DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'operators-embedded-'));
    server = ServerProcess.start(MAIN, { DATABASE_URL: undefined, EMBEDDED_DATA_DIR: dataDir, ...SECRETS });
    base = await server.listening(60_000);
  }, 90_000);

  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the start-up log prints the database address, published (0600) in the lock file; a person can connect to it', async () => {
    const match = /listening on \S+ \(API under \/api\/v1, docs at \/docs; embedded database at (postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable)\)/.exec(server.stdout);
    expect(match).not.toBeNull();
    printedUrl = match![1];
    const lockFile = join(dataDir, 'embedded.lock');
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual({ pid: server.child.pid, url: printedUrl });
    expect(statSync(lockFile).mode & 0o777).toBe(0o600);
    const client = new Client({ connectionString: printedUrl });
    await client.connect();
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('grant, use and revoke through the running server\'s database; the other tools use it too', async () => {
    await grantUseRevoke(base, cli);
    const grant = await cli('operators:list');
    expect(grant.stderr).toContain(`Using the embedded database of the running server (process ${server.child.pid})`);
    for (const script of ['db:status', 'tenants:check-orphans']) {
      const result = await runNpmScript(script, [], { DATABASE_URL: undefined, EMBEDDED_DATA_DIR: dataDir });
      expect({ script, code: result.code }).toEqual({ script, code: 0 });
    }
    expect((await fetch(`${base}/api/v1/health/ready`)).status).toBe(200);
  }, 60_000);

  it('once the server stops, the tools open the directory themselves; a stale lock (dead pid) is taken over', async () => {
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lockFile = join(dataDir, 'embedded.lock');
    expect(existsSync(lockFile)).toBe(false);

    const list = await cli('operators:list');
    expect(list).toMatchObject({ code: 0, stdout: expect.stringContaining('support:read') });
    expect(list.stderr).not.toContain('running server');
    expect(existsSync(lockFile)).toBe(false);

    // A server killed without stopping leaves its lock behind, naming a process that no longer exists.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(lockFile, JSON.stringify({ pid: dead, url: 'postgresql://postgres@127.0.0.1:1/postgres' }));
    expect(await cli('operators:list')).toMatchObject({ code: 0, stdout: expect.stringContaining('support:read') });
    expect(existsSync(lockFile)).toBe(false);
  }, 60_000);
});
