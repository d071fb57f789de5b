import { Client } from 'pg';
import { openAppDatabase } from '../database/app-database';
import { findOrphans, repairTenant, type Orphan, type RepairAction } from './tenant-orphans';

const USAGE = `Usage:
  npm run tenants:check-orphans                  list tenants missing their General segment, their packages
                                                 or an owner, and packages without a segment
  npm run tenants:check-orphans -- --dry-run     also print what --fix would do; changes nothing
  npm run tenants:check-orphans -- --fix         repair them (one transaction and one audit event per
                                                 tenant), then check again

DELETED tenants are not checked. Exit code: 0 no orphans (after --fix: all repaired), 1 orphans
found or left, 2 usage.

Targets DATABASE_URL, or the embedded database under EMBEDDED_DATA_DIR when it is unset (the running
server's, while \`npm start\` holds it). The role
connecting must bypass row-level security (a superuser, or a role with BYPASSRLS): the check reads
every tenant's rows, and RLS is forced on tenant-owned tables, so owning them is not enough. --fix
writes each tenant's segments and packages as app_tenant, so a non-superuser must be a member of it.`;

type Mode = 'report' | 'dry-run' | 'fix';

const MODES = new Map<string, Mode>([
  ['--dry-run', 'dry-run'],
  ['--fix', 'fix'],
]);

const PROGRESS_WIDTH = 10;

async function main(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const mode: Mode | undefined = args.length === 0 ? 'report' : args.length === 1 ? MODES.get(args[0]) : undefined;
  if (!mode) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return withClient((client) => run(client, mode));
}

async function run(client: Client, mode: Mode): Promise<number> {
  const orphans = await findOrphans(client);
  if (orphans.length === 0) {
    process.stdout.write('No orphans found.\n');
    return 0;
  }
  process.stdout.write(formatTable(orphans));
  if (mode === 'report') return 1;

  const tenants = groupByTenant(orphans);
  if (mode === 'dry-run') {
    process.stdout.write('\n--fix would:\n');
    for (const problems of tenants.values()) {
      const actions = await repairTenant(client, problems[0].tenantId, problems, { dryRun: true });
      process.stdout.write(formatActions(problems[0], actions));
    }
    return 1;
  }

  // Actions are printed after the loop so they do not interleave with the bar on a terminal.
  const report: string[] = [];
  let failed = 0;
  let done = 0;
  for (const problems of tenants.values()) {
    try {
      const actions = await repairTenant(client, problems[0].tenantId, problems, { dryRun: false });
      report.push(formatActions(problems[0], actions));
    } catch (error) {
      // One tenant's failure rolls back only that tenant; the others are still repaired.
      failed += 1;
      report.push(`${problems[0].slug} (${problems[0].tenantId}): repair failed, nothing changed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    writeProgress(++done, tenants.size);
  }
  process.stdout.write(`\nRepaired:\n${report.join('')}`);

  const left = await findOrphans(client);
  if (left.length === 0 && failed === 0) {
    process.stdout.write('\nRe-check: no orphans found.\n');
    return 0;
  }
  process.stdout.write(left.length ? `\nRe-check: orphans left:\n${formatTable(left)}` : '\nRe-check: no orphans found, but a repair failed.\n');
  return 1;
}

function groupByTenant(orphans: Orphan[]): Map<string, Orphan[]> {
  const tenants = new Map<string, Orphan[]>();
  for (const orphan of orphans) tenants.set(orphan.tenantId, [...(tenants.get(orphan.tenantId) ?? []), orphan]);
  return tenants;
}

function formatTable(orphans: Orphan[]): string {
  const rows = [['TENANT ID', 'SLUG', 'PROBLEM'], ...orphans.map((o) => [o.tenantId, o.slug, describeProblem(o)])];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map(([id, slug, problem]) => `${id.padEnd(widths[0])}  ${slug.padEnd(widths[1])}  ${problem}\n`).join('');
}

function describeProblem(orphan: Orphan): string {
  switch (orphan.problem) {
    case 'missing_general_segment':
      return 'missing General segment';
    case 'no_packages':
      return 'no packages';
    case 'no_owner':
      return 'no OWNER membership';
    case 'package_without_segment':
      return `package ${orphan.packageSlug} (${orphan.packageId}) has no segment`;
  }
}

function formatActions(tenant: Orphan, actions: RepairAction[]): string {
  const lines = actions.length ? actions.map((a) => `  - ${describeAction(a)}\n`) : ['  - nothing (already repaired)\n'];
  return `${tenant.slug} (${tenant.tenantId}):\n${lines.join('')}`;
}

function describeAction(action: RepairAction): string {
  switch (action.action) {
    case 'create_general_segment':
      return 'create the General segment';
    case 'create_default_packages':
      return `create the default packages ${action.packageSlugs.join(', ')} in General`;
    case 'move_package_to_general':
      return `move package ${action.packageSlug} (${action.packageId}) to General`;
    case 'make_owner':
      return action.user === 'created'
        ? `create user ${action.email} without a password and make them OWNER`
        : `make existing user ${action.email} OWNER (${action.previousRole ? `was ${action.previousRole}` : 'was not a member'})`;
  }
}

/** `[#####-----] 3/10` on stderr: redrawn in place on a terminal, one line per step in a log. */
function writeProgress(done: number, total: number): void {
  const filled = Math.round((done / total) * PROGRESS_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(PROGRESS_WIDTH - filled)}] ${done}/${total}`;
  process.stderr.write(process.stderr.isTTY ? `\r${bar}${done === total ? '\n' : ''}` : `${bar}\n`);
}

/** The database the application would use (openAppDatabase, shared with db:status and operators:*). */
async function withClient(work: (client: Client) => Promise<number>): Promise<number> {
  const database = await openAppDatabase();
  try {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
