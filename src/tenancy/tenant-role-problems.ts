import { escapeIdentifier as ident, escapeLiteral } from 'pg';
import { TENANT_DATABASE_ROLE } from './tenancy.constants';
import type { TenantRoleFacts } from './tenant-role-probe';

/** One thing the roles lack, and the SQL that gives it (run as a superuser). */
export interface TenantRoleProblem {
  problem: string;
  fix: string;
}

const TENANT = ident(TENANT_DATABASE_ROLE);
const MIGRATE = 'apply the migrations (npm run db:migrate, or start once with MIGRATE_ON_START=true)';

/**
 * Maps the probe's facts to problems, in the order they would bite. Empty means tenant-scoped work
 * can run with row-level security in force, and platform paths can run beside it.
 */
export function tenantRoleProblems(facts: TenantRoleFacts): TenantRoleProblem[] {
  const me = ident(facts.connectingRole);
  const problems: TenantRoleProblem[] = [];
  const { tenantRole, grants, switched } = facts;
  if (!tenantRole || !grants || !switched) {
    return [{ problem: `the role ${TENANT} does not exist; the migrations create it`, fix: MIGRATE }];
  }

  const unsafe = [tenantRole.canLogin && 'LOGIN', tenantRole.superuser && 'SUPERUSER', tenantRole.bypassesRls && 'BYPASSRLS'].filter(Boolean);
  if (unsafe.length) {
    problems.push({
      problem: `${TENANT} is ${unsafe.join(' ')}: row-level security would not hold (or it could be logged in to directly)`,
      fix: `ALTER ROLE ${TENANT} NOLOGIN NOSUPERUSER NOBYPASSRLS;`,
    });
  }
  if (!switched.ok && switched.sqlState === '42501' && switched.step.startsWith('SET')) {
    // PostgreSQL 16 split membership into INHERIT / SET options; a member granted WITH SET FALSE cannot switch.
    const setOption = tenantRole.connectingRoleIsMember && facts.serverVersionNum >= 160000;
    problems.push({
      problem: `${me} may not switch to ${TENANT} (SET ROLE), which every tenant-scoped transaction does${setOption ? ' (a member, but WITH SET FALSE)' : ''}`,
      fix: `GRANT ${TENANT} TO ${me}${setOption ? ' WITH SET TRUE' : ''};`,
    });
  }
  if (!facts.connectingBypassesRls) {
    problems.push({
      problem:
        `${me} cannot bypass row-level security (neither SUPERUSER nor BYPASSRLS): platform paths read tenant-owned rows before ` +
        'a tenant is known (the API key lookup), so every API key would answer 401 "Invalid API key"',
      fix: `ALTER ROLE ${me} BYPASSRLS;`,
    });
  }

  if (grants.tables.length === 0 || grants.currentTenantIdExecute === null || grants.auditInsert === null) {
    problems.push({ problem: `schema ${ident(facts.schema)} has no tenant-owned tables (or misses current_tenant_id(), audit_events)`, fix: MIGRATE });
    return problems;
  }
  if (!grants.schemaUsage) problems.push({ problem: `${TENANT} may not use schema ${ident(facts.schema)}`, fix: `GRANT USAGE ON SCHEMA ${ident(facts.schema)} TO ${TENANT};` });
  if (!grants.currentTenantIdExecute) {
    problems.push({
      problem: `${TENANT} may not call current_tenant_id(), which every row-level security policy calls`,
      fix: `GRANT EXECUTE ON FUNCTION current_tenant_id() TO ${TENANT};`,
    });
  }
  for (const { table, missing, ownedByTenantRole } of grants.tables) {
    if (missing.length) {
      problems.push({ problem: `${TENANT} lacks ${missing.join(', ')} on the tenant-owned table ${ident(table)}`, fix: `GRANT ${missing.join(', ')} ON ${ident(table)} TO ${TENANT};` });
    }
    if (ownedByTenantRole) {
      problems.push({
        problem: `${TENANT} owns ${ident(table)}, so it could switch that table's row-level security off`,
        fix: `ALTER TABLE ${ident(table)} OWNER TO ${me};`,
      });
    }
  }
  if (!grants.auditInsert) {
    problems.push({ problem: `${TENANT} may not insert into audit_events (tenant changes record their event in their transaction)`, fix: `GRANT INSERT ON audit_events TO ${TENANT};` });
  }

  if (switched.ok) {
    if (switched.currentUser !== TENANT_DATABASE_ROLE) {
      problems.push({ problem: `after switching to ${TENANT} the current user is ${ident(switched.currentUser)}`, fix: `check the role's settings (ALTER ROLE ... SET role) and triggers of ${TENANT}` });
    }
    for (const { table, rlsActive, rowsVisible } of switched.tables) {
      if (!rlsActive) {
        problems.push({
          problem: `row-level security is not active on ${ident(table)} under ${TENANT}`,
          fix: `ALTER TABLE ${ident(table)} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;`,
        });
      } else if (rowsVisible) {
        problems.push({
          problem: `under ${TENANT} with no tenant set, rows of ${ident(table)} are visible: a policy lets them through`,
          fix: `make every policy of ${ident(table)} (SELECT * FROM pg_policies WHERE tablename = ${escapeLiteral(table)}) compare "tenantId" with current_tenant_id(), as the migrations' tenant_isolation does`,
        });
      }
    }
  } else if (!(switched.sqlState === '42501' && switched.step.startsWith('SET'))) {
    problems.push({ problem: `${switched.step} failed: ${switched.message}${switched.sqlState ? ` (SQLSTATE ${switched.sqlState})` : ''}`, fix: `grant ${TENANT} what that statement needs` });
  }
  return problems;
}

/** The one message the server refuses to start with. */
export function describeTenantRoleProblems(connectingRole: string, problems: TenantRoleProblem[]): string {
  return [
    `Database role check failed: the role ${ident(connectingRole)} cannot run tenant-scoped work with row-level security in force, so the server does not start.`,
    ...problems.map(({ problem, fix }) => `  - ${problem}.\n    Fix: ${fix}`),
    'Run the fixes as a superuser (or the owner of the tables); docs/security.md, "Database roles", lists what the roles need.',
  ].join('\n');
}
