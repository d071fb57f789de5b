import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_PACKAGES, DEFAULT_SEGMENT } from '../../src/provisioning/tenant-defaults';
import { findOrphans, repairTenant, type Orphan, type RepairAction } from '../../src/provisioning/tenant-orphans';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/test-database';

const CLI = join(__dirname, '..', '..', 'dist', 'provisioning', 'orphans.cli.js');
const DEFAULT_SLUGS = DEFAULT_PACKAGES.map((p) => p.slug);

/** Ids of the seeded tenants, by slug, and the rows the expectations refer to. */
interface Seeded {
  tenants: Record<string, string>;
  existingOwnerId: string;
  adminId: string;
  strayPackageId: string;
}

/**
 * One healthy tenant, one DELETED (ignored) and five broken ones, written with raw SQL as a
 * superuser. Each suite seeds its own database: the checks report every tenant, so they need it alone.
 */
async function seed(client: Client): Promise<Seeded> {
  const tenants: Record<string, string> = {};
  const tenant = async (slug: string, status = 'ACTIVE') => {
    tenants[slug] = randomUUID();
    await client.query(`INSERT INTO tenants (id, slug, name, email, status) VALUES ($1, $2, $2, $3, $4)`, [tenants[slug], slug, `${slug}@example.com`, status]);
    return tenants[slug];
  };
  const user = async (email: string) => {
    const id = randomUUID();
    await client.query(`INSERT INTO users (id, email, "passwordHash") VALUES ($1, $2, 'hash')`, [id, email]);
    return id;
  };
  const member = (tenantId: string, userId: string, role: string) =>
    client.query(`INSERT INTO tenant_memberships ("tenantId", "userId", role) VALUES ($1, $2, $3)`, [tenantId, userId, role]);
  const general = async (tenantId: string) => {
    const id = randomUUID();
    await client.query(`INSERT INTO segments ("tenantId", id, slug, name) VALUES ($1, $2, $3, $4)`, [tenantId, id, DEFAULT_SEGMENT.slug, DEFAULT_SEGMENT.name]);
    return id;
  };
  const packages = async (tenantId: string, segmentId: string, slugs = DEFAULT_SLUGS) => {
    for (const slug of slugs) {
      await client.query(`INSERT INTO packages ("tenantId", id, "segmentId", slug, name) VALUES ($1, $2, $3, $4, $4)`, [tenantId, randomUUID(), segmentId, slug]);
    }
  };
  const complete = async (tenantId: string) => packages(tenantId, await general(tenantId));

  const healthy = await tenant('healthy');
  await complete(healthy);
  await member(healthy, await user('owner@healthy.example.com'), 'OWNER');

  await tenant('deleted', 'DELETED');

  // Suspended tenants are checked too: only DELETED ones are left alone.
  const bare = await tenant('bare', 'SUSPENDED');
  await member(bare, await user('owner@bare.example.com'), 'OWNER');

  // The contact email belongs to a user elsewhere (a member of another tenant), not to this one.
  const existing = await tenant('ownerless-existing');
  await complete(existing);
  const existingOwnerId = await user('ownerless-existing@example.com');
  await member(healthy, existingOwnerId, 'MEMBER');

  // The contact email's user is an ADMIN here: promoted, not given a second membership.
  const admin = await tenant('ownerless-admin');
  await complete(admin);
  const adminId = await user('ownerless-admin@example.com');
  await member(admin, adminId, 'ADMIN');

  // No user has the contact email.
  await complete(await tenant('ownerless-new'));

  // The foreign key forbids a package without its segment; a replica-mode session skips it.
  const stray = await tenant('stray-package');
  await member(stray, await user('owner@stray.example.com'), 'OWNER');
  await complete(stray);
  const strayPackageId = randomUUID();
  await client.query('BEGIN');
  await client.query(`SET LOCAL session_replication_role = replica`);
  await client.query(`INSERT INTO packages ("tenantId", id, "segmentId", slug, name) VALUES ($1, $2, $3, 'stray', 'Stray')`, [stray, strayPackageId, randomUUID()]);
  await client.query('COMMIT');

  return { tenants, existingOwnerId, adminId, strayPackageId };
}

function expectedOrphans({ tenants, strayPackageId }: Seeded): Orphan[] {
  return [
    { tenantId: tenants.bare, slug: 'bare', problem: 'missing_general_segment' },
    { tenantId: tenants.bare, slug: 'bare', problem: 'no_packages' },
    { tenantId: tenants['ownerless-admin'], slug: 'ownerless-admin', problem: 'no_owner' },
    { tenantId: tenants['ownerless-existing'], slug: 'ownerless-existing', problem: 'no_owner' },
    { tenantId: tenants['ownerless-new'], slug: 'ownerless-new', problem: 'no_owner' },
    { tenantId: tenants['stray-package'], slug: 'stray-package', problem: 'package_without_segment', packageId: strayPackageId, packageSlug: 'stray' },
  ];
}

function expectedActions(seeded: Seeded): Record<string, RepairAction[]> {
  return {
    bare: [{ action: 'create_general_segment' }, { action: 'create_default_packages', packageSlugs: DEFAULT_SLUGS }],
    'ownerless-admin': [{ action: 'make_owner', email: 'ownerless-admin@example.com', user: 'existing', previousRole: 'ADMIN' }],
    'ownerless-existing': [{ action: 'make_owner', email: 'ownerless-existing@example.com', user: 'existing', previousRole: null }],
    'ownerless-new': [{ action: 'make_owner', email: 'ownerless-new@example.com', user: 'created', previousRole: null }],
    'stray-package': [{ action: 'move_package_to_general', packageId: seeded.strayPackageId, packageSlug: 'stray' }],
  };
}

/** Every row a repair could touch, in a stable order. */
async function snapshot(client: Client) {
  const rows = async (sql: string) => (await client.query<Record<string, unknown>>(sql)).rows;
  return {
    users: await rows(`SELECT * FROM users ORDER BY id`),
    memberships: await rows(`SELECT * FROM tenant_memberships ORDER BY "tenantId", "userId"`),
    segments: await rows(`SELECT * FROM segments ORDER BY "tenantId", id`),
    packages: await rows(`SELECT * FROM packages ORDER BY "tenantId", id`),
    auditEvents: await rows(`SELECT * FROM audit_events ORDER BY id`),
  };
}

/** Repairs every tenant findOrphans reports; answers the actions by tenant slug. */
async function repairAll(client: Client, orphans: Orphan[], dryRun: boolean): Promise<Record<string, RepairAction[]>> {
  const actions: Record<string, RepairAction[]> = {};
  for (const slug of new Set(orphans.map((o) => o.slug))) {
    const problems = orphans.filter((o) => o.slug === slug);
    actions[slug] = await repairTenant(client, problems[0].tenantId, problems, { dryRun });
  }
  return actions;
}

describeWithPostgres('tenant orphans: findOrphans and repairTenant', () => {
  let database: TestDatabase;
  let client: Client;
  let seeded: Seeded;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    seeded = await seed(client);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('reports each problem of each tenant that is not DELETED, and nothing of healthy ones', async () => {
    expect(await findOrphans(client)).toEqual(expectedOrphans(seeded));
  });

  it('a dry run answers the actions a fix would take and changes nothing', async () => {
    const before = await snapshot(client);
    expect(await repairAll(client, await findOrphans(client), true)).toEqual(expectedActions(seeded));
    expect(await snapshot(client)).toEqual(before);
  });

  it('a fix repairs every tenant, audits each once, and a re-check finds nothing', async () => {
    const orphans = await findOrphans(client);
    const healthyBefore = await client.query(`SELECT * FROM packages WHERE "tenantId" = $1 ORDER BY id`, [seeded.tenants.healthy]);
    expect(await repairAll(client, orphans, false)).toEqual(expectedActions(seeded));
    expect(await findOrphans(client)).toEqual([]);

    const { tenants } = seeded;
    const general = (
      await client.query(`SELECT id, slug, name, "heroTitle", description, "sortOrder" FROM segments WHERE "tenantId" = $1`, [tenants.bare])
    ).rows;
    expect(general).toEqual([{ id: expect.any(String), ...DEFAULT_SEGMENT }]);
    const created = await client.query(
      `SELECT "segmentId", slug, name, description, "basePrice", "groupingOrder" FROM packages WHERE "tenantId" = $1 ORDER BY "groupingOrder"`,
      [tenants.bare],
    );
    expect(created.rows).toEqual(DEFAULT_PACKAGES.map((tier) => ({ segmentId: general[0].id, ...tier })));

    const owners = await client.query(
      `SELECT m."tenantId", u.id, u.email, u."passwordHash" FROM tenant_memberships m JOIN users u ON u.id = m."userId" WHERE m.role = 'OWNER' AND m."tenantId" = ANY($1)`,
      [[tenants['ownerless-existing'], tenants['ownerless-admin'], tenants['ownerless-new']]],
    );
    expect(owners.rows).toHaveLength(3);
    expect(owners.rows).toEqual(
      expect.arrayContaining([
        { tenantId: tenants['ownerless-existing'], id: seeded.existingOwnerId, email: 'ownerless-existing@example.com', passwordHash: 'hash' },
        { tenantId: tenants['ownerless-admin'], id: seeded.adminId, email: 'ownerless-admin@example.com', passwordHash: 'hash' },
        // Created without a password: it never verifies, so the owner resets it to sign in.
        { tenantId: tenants['ownerless-new'], id: expect.any(String), email: 'ownerless-new@example.com', passwordHash: '!' },
      ]),
    );
    const adminMemberships = await client.query(`SELECT role FROM tenant_memberships WHERE "userId" = $1 ORDER BY role`, [seeded.adminId]);
    expect(adminMemberships.rows).toEqual([{ role: 'OWNER' }]);

    const stray = await client.query(
      `SELECT s.slug FROM packages p JOIN segments s ON s."tenantId" = p."tenantId" AND s.id = p."segmentId" WHERE p.id = $1`,
      [seeded.strayPackageId],
    );
    expect(stray.rows).toEqual([{ slug: DEFAULT_SEGMENT.slug }]);

    const audit = await client.query(
      `SELECT "actorType", "actorId", action, "targetType", "targetId", "tenantId", metadata FROM audit_events ORDER BY "tenantId"`,
    );
    const actions = expectedActions(seeded);
    expect(audit.rows).toEqual(
      Object.keys(actions)
        .map((slug) => ({
          actorType: 'SYSTEM',
          actorId: null,
          action: 'tenant.orphans_repaired',
          targetType: 'tenant',
          targetId: tenants[slug],
          tenantId: tenants[slug],
          metadata: { problems: expect.any(Array), actions: actions[slug] },
        }))
        .sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1)),
    );

    // Healthy and DELETED tenants are left alone.
    expect((await client.query(`SELECT * FROM packages WHERE "tenantId" = $1 ORDER BY id`, [seeded.tenants.healthy])).rows).toEqual(healthyBefore.rows);
    expect((await client.query(`SELECT count(*)::int AS n FROM segments WHERE "tenantId" = $1`, [tenants.deleted])).rows).toEqual([{ n: 0 }]);
  });

  it('is idempotent: repairing the same problems again does nothing and audits nothing', async () => {
    const before = await snapshot(client);
    const again = await repairAll(client, expectedOrphans(seeded), false);
    expect(Object.values(again)).toEqual(Object.keys(again).map(() => []));
    expect(await snapshot(client)).toEqual(before);
  });

  it('refuses a role that cannot see every tenant (row-level security would hide their rows)', async () => {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE app_tenant');
      await expect(findOrphans(client)).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(databaseUrl: string, args: string[] = []): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The table's rows as cells (columns are separated by two spaces or more). */
const tableRows = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(/ {2,}/));

describeWithPostgres('tenant orphans: npm run tenants:check-orphans (dist/provisioning/orphans.cli.js)', () => {
  let database: TestDatabase;
  let client: Client;
  let seeded: Seeded;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    seeded = await seed(client);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const header = ['TENANT ID', 'SLUG', 'PROBLEM'];
  const problemRows = () => {
    const { tenants, strayPackageId } = seeded;
    return [
      [tenants.bare, 'bare', 'missing General segment'],
      [tenants.bare, 'bare', 'no packages'],
      [tenants['ownerless-admin'], 'ownerless-admin', 'no OWNER membership'],
      [tenants['ownerless-existing'], 'ownerless-existing', 'no OWNER membership'],
      [tenants['ownerless-new'], 'ownerless-new', 'no OWNER membership'],
      [tenants['stray-package'], 'stray-package', `package stray (${strayPackageId}) has no segment`],
    ];
  };

  it('reports the orphans as a table and exits 1', async () => {
    const result = await runCli(database.url);
    expect(result.code).toBe(1);
    expect(tableRows(result.stdout)).toEqual([header, ...problemRows()]);
  });

  it('--dry-run prints the actions, changes nothing and exits 1', async () => {
    const before = await snapshot(client);
    const result = await runCli(database.url, ['--dry-run']);
    expect(result.code).toBe(1);
    const [table, plan] = result.stdout.split('\n--fix would:\n');
    expect(tableRows(table)).toEqual([header, ...problemRows()]);
    expect(plan).toContain(`bare (${seeded.tenants.bare}):\n  - create the General segment\n  - create the default packages ${DEFAULT_SLUGS.join(', ')} in General\n`);
    expect(plan).toContain('  - create user ownerless-new@example.com without a password and make them OWNER\n');
    expect(plan).toContain('  - make existing user ownerless-admin@example.com OWNER (was ADMIN)\n');
    expect(await snapshot(client)).toEqual(before);
  });

  it('--fix repairs, shows progress on stderr, exits 0; then the check exits 0', async () => {
    const fixed = await runCli(database.url, ['--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr.split('\n').filter((line) => line.startsWith('['))).toEqual([
      '[##--------] 1/5',
      '[####------] 2/5',
      '[######----] 3/5',
      '[########--] 4/5',
      '[##########] 5/5',
    ]);
    expect(fixed.stdout).toContain(`stray-package (${seeded.tenants['stray-package']}):\n  - move package stray (${seeded.strayPackageId}) to General\n`);
    expect(fixed.stdout).toMatch(/Re-check: no orphans found\.\n$/);

    expect(await runCli(database.url)).toMatchObject({ code: 0, stdout: 'No orphans found.\n' });
    expect(await runCli(database.url, ['--fix'])).toMatchObject({ code: 0, stdout: 'No orphans found.\n' });
  });

  it('answers unknown arguments with the usage and exit 2', async () => {
    const result = await runCli(database.url, ['--fix', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage:');
    expect(result.stdout).toBe('');
  });
});
