import type { ClientBase } from 'pg';
import { TENANT_DATABASE_ROLE, TENANT_SETTING } from '../tenancy/tenancy.constants';
import { DEFAULT_PACKAGES, DEFAULT_SEGMENT } from './tenant-defaults';
import { NO_PASSWORD } from './tenant-provisioning.service';

/**
 * Integrity checks for tenants that are missing what provisioning gives every tenant (General
 * segment, packages, an owner), and their repair. Plain `pg` so the CLI needs no Nest container.
 *
 * The report reads segments and packages of every tenant at once, so the connection's role must
 * bypass row-level security (superuser or BYPASSRLS). Owning the tables is not enough: RLS is forced.
 */

export type TenantProblem = 'missing_general_segment' | 'no_packages' | 'no_owner';

export type Orphan =
  | { tenantId: string; slug: string; problem: TenantProblem }
  | { tenantId: string; slug: string; problem: 'package_without_segment'; packageId: string; packageSlug: string };

export type RepairAction =
  | { action: 'create_general_segment' }
  | { action: 'create_default_packages'; packageSlugs: string[] }
  | { action: 'move_package_to_general'; packageId: string; packageSlug: string }
  /** `user`: whether the contact email's user already existed or is created without a password. */
  | { action: 'make_owner'; email: string; user: 'existing' | 'created'; previousRole: string | null };

export const ORPHANS_REPAIRED_ACTION = 'tenant.orphans_repaired';

// How a tenant's problems are listed: the segment first, since packages are moved or created into it.
const PROBLEM_ORDER = ['missing_general_segment', 'package_without_segment', 'no_packages', 'no_owner'] as const;

interface OrphanRow {
  tenantId: string;
  slug: string;
  problem: Orphan['problem'];
  packageId: string | null;
  packageSlug: string | null;
}

/** Every problem of every tenant that is not DELETED, ordered by tenant slug, problem, package. */
export async function findOrphans(client: ClientBase): Promise<Orphan[]> {
  await assertBypassesRowLevelSecurity(client);
  return queryOrphans(client, null);
}

/**
 * Repairs one tenant in one transaction and returns the actions taken (with `dryRun`, the actions
 * it would take; the transaction is rolled back). The tenant row is locked and its problems are
 * checked again inside the transaction, so a stale or concurrent run repairs nothing twice: only
 * those of `problems` that still hold are acted on. Writes one audit event when it changes anything.
 */
export async function repairTenant(
  client: ClientBase,
  tenantId: string,
  problems: readonly Orphan[],
  { dryRun }: { dryRun: boolean },
): Promise<RepairAction[]> {
  await assertBypassesRowLevelSecurity(client);
  await client.query('BEGIN');
  try {
    const actions = await repairInTransaction(client, tenantId, problems, dryRun);
    await client.query(dryRun ? 'ROLLBACK' : 'COMMIT');
    return actions;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function repairInTransaction(client: ClientBase, tenantId: string, requested: readonly Orphan[], dryRun: boolean): Promise<RepairAction[]> {
  const tenant = (await client.query<{ email: string }>(`SELECT email FROM tenants WHERE id = $1 FOR UPDATE`, [tenantId])).rows[0];
  if (!tenant) return [];
  const wanted = new Set(requested.filter((p) => p.tenantId === tenantId).map(problemKey));
  const problems = (await queryOrphans(client, tenantId)).filter((p) => wanted.has(problemKey(p)));
  if (problems.length === 0) return [];
  const has = (problem: Orphan['problem']) => problems.some((p) => p.problem === problem);
  const actions: RepairAction[] = [];

  // Global tables first: app_tenant, which the rest runs as, may not write users or memberships.
  if (has('no_owner')) actions.push(await makeOwner(client, tenantId, tenant.email, dryRun));

  // Tenant-owned rows as app_tenant on this tenant: row-level security holds even if this code errs.
  await client.query(`SELECT set_config('role', $1, true), set_config($2, $3, true)`, [TENANT_DATABASE_ROLE, TENANT_SETTING, tenantId]);
  let generalId = (
    await client.query<{ id: string }>(`SELECT id FROM segments WHERE "tenantId" = $1 AND slug = $2`, [tenantId, DEFAULT_SEGMENT.slug])
  ).rows.at(0)?.id;
  if (has('missing_general_segment')) {
    if (!dryRun) generalId = await createGeneralSegment(client, tenantId);
    actions.push({ action: 'create_general_segment' });
  }
  for (const problem of problems) {
    if (problem.problem !== 'package_without_segment') continue;
    if (!dryRun) await client.query(`UPDATE packages SET "segmentId" = $3 WHERE "tenantId" = $1 AND id = $2`, [tenantId, problem.packageId, generalId]);
    actions.push({ action: 'move_package_to_general', packageId: problem.packageId, packageSlug: problem.packageSlug });
  }
  if (has('no_packages')) {
    // General exists here: found above, or created since it was missing.
    if (!dryRun) await createDefaultPackages(client, tenantId, generalId!);
    actions.push({ action: 'create_default_packages', packageSlugs: DEFAULT_PACKAGES.map((p) => p.slug) });
  }

  if (dryRun) return actions;
  // A plain INSERT (no RETURNING): app_tenant may only insert into audit_events.
  await client.query(
    `INSERT INTO audit_events (id, "actorType", "actorId", action, "targetType", "targetId", "tenantId", "requestId", metadata)
     VALUES (gen_random_uuid(), 'SYSTEM', NULL, $1, 'tenant', $2, $3, NULL, $4::jsonb)`,
    [ORPHANS_REPAIRED_ACTION, tenantId, tenantId, JSON.stringify({ problems: problems.map(problemKey), actions })],
  );
  return actions;
}

/** The contact email's user becomes OWNER: the existing user if there is one, else a password-less one. */
async function makeOwner(client: ClientBase, tenantId: string, email: string, dryRun: boolean): Promise<RepairAction> {
  const existing = (
    await client.query<{ id: string; role: string | null }>(
      `SELECT u.id, m.role FROM users u LEFT JOIN tenant_memberships m ON m."userId" = u.id AND m."tenantId" = $2 WHERE u.email = $1`,
      [email, tenantId],
    )
  ).rows[0];
  const action: RepairAction = { action: 'make_owner', email, user: existing ? 'existing' : 'created', previousRole: existing?.role ?? null };
  if (dryRun) return action;
  const userId =
    existing?.id ??
    (await client.query<{ id: string }>(`INSERT INTO users (id, email, "passwordHash") VALUES (gen_random_uuid(), $1, $2) RETURNING id`, [email, NO_PASSWORD]))
      .rows[0].id;
  // A member or admin with the contact email is promoted rather than given a second membership.
  await client.query(
    `INSERT INTO tenant_memberships ("tenantId", "userId", role) VALUES ($1, $2, 'OWNER')
     ON CONFLICT ("tenantId", "userId") DO UPDATE SET role = 'OWNER'`,
    [tenantId, userId],
  );
  return action;
}

async function createGeneralSegment(client: ClientBase, tenantId: string): Promise<string> {
  const { slug, name, heroTitle, description, sortOrder } = DEFAULT_SEGMENT;
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO segments ("tenantId", id, slug, name, "heroTitle", description, "sortOrder")
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6) RETURNING id`,
    [tenantId, slug, name, heroTitle, description, sortOrder],
  );
  return rows[0].id;
}

async function createDefaultPackages(client: ClientBase, tenantId: string, segmentId: string): Promise<void> {
  for (const { slug, name, description, basePrice, groupingOrder } of DEFAULT_PACKAGES) {
    await client.query(
      `INSERT INTO packages ("tenantId", id, "segmentId", slug, name, description, "basePrice", "groupingOrder")
       VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7)`,
      [tenantId, segmentId, slug, name, description, basePrice, groupingOrder],
    );
  }
}

/** Identifies a problem across a re-check (a package's problem is its own). */
function problemKey(orphan: Orphan): string {
  return orphan.problem === 'package_without_segment' ? `${orphan.problem}:${orphan.packageId}` : orphan.problem;
}

/**
 * Without RLS bypass, segments and packages would read as empty and every tenant would look broken;
 * refusing is better than a report (and a repair) built on rows the role cannot see.
 */
async function assertBypassesRowLevelSecurity(client: ClientBase): Promise<void> {
  const { rows } = await client.query<{ bypasses: boolean }>(
    `SELECT rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user`,
  );
  if (!rows[0]?.bypasses) {
    throw new Error('The orphan check reads every tenant\'s rows: connect as a superuser or a role with BYPASSRLS (row-level security is forced, so the tables\' owner is not enough).');
  }
}

/** `tenantId` null: every tenant. */
async function queryOrphans(client: ClientBase, tenantId: string | null): Promise<Orphan[]> {
  const { rows } = await client.query<OrphanRow>(
    `WITH live AS (SELECT id, slug FROM tenants WHERE status <> 'DELETED' AND ($1::uuid IS NULL OR id = $1::uuid)),
     found AS (
       SELECT t.id AS "tenantId", t.slug, 'missing_general_segment' AS problem, NULL AS "packageId", NULL AS "packageSlug"
         FROM live t WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s."tenantId" = t.id AND s.slug = $2)
       UNION ALL
       SELECT t.id, t.slug, 'no_packages', NULL, NULL
         FROM live t WHERE NOT EXISTS (SELECT 1 FROM packages p WHERE p."tenantId" = t.id)
       UNION ALL
       SELECT t.id, t.slug, 'no_owner', NULL, NULL
         FROM live t WHERE NOT EXISTS (SELECT 1 FROM tenant_memberships m WHERE m."tenantId" = t.id AND m.role = 'OWNER')
       UNION ALL
       -- The foreign key forbids this; it is checked because a bulk load may have run with it disabled.
       SELECT t.id, t.slug, 'package_without_segment', p.id::text, p.slug
         FROM live t JOIN packages p ON p."tenantId" = t.id
        WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s."tenantId" = p."tenantId" AND s.id = p."segmentId")
     )
     SELECT * FROM found ORDER BY slug COLLATE "C", array_position($3::text[], problem), "packageSlug" COLLATE "C"`,
    [tenantId, DEFAULT_SEGMENT.slug, PROBLEM_ORDER],
  );
  return rows.map(({ tenantId: id, slug, problem, packageId, packageSlug }) =>
    problem === 'package_without_segment'
      ? { tenantId: id, slug, problem, packageId: packageId!, packageSlug: packageSlug! }
      : { tenantId: id, slug, problem },
  );
}
