import { describeTenantRoleProblems, tenantRoleProblems } from './tenant-role-problems';
import type { TenantRoleFacts } from './tenant-role-probe';

/** What the probe reads on a correctly set up database, as a non-superuser that ran the grants. */
function healthy(): TenantRoleFacts {
  return {
    connectingRole: 'app',
    connectingBypassesRls: true,
    serverVersionNum: 150004,
    schema: 'public',
    tenantRole: { canLogin: false, superuser: false, bypassesRls: false, connectingRoleIsMember: true },
    grants: {
      schemaUsage: true,
      currentTenantIdExecute: true,
      auditInsert: true,
      tables: [
        { table: 'api_keys', missing: [], ownedByTenantRole: false },
        { table: 'packages', missing: [], ownedByTenantRole: false },
      ],
    },
    switched: {
      ok: true,
      currentUser: 'app_tenant',
      tables: [
        { table: 'api_keys', rlsActive: true, rowsVisible: false },
        { table: 'packages', rlsActive: true, rowsVisible: false },
      ],
    },
  };
}

const switchRefused = { ok: false, step: 'SET LOCAL ROLE app_tenant', sqlState: '42501', message: 'permission denied to set role "app_tenant"' } as const;
const fixes = (facts: TenantRoleFacts) => tenantRoleProblems(facts).map((p) => p.fix);

describe('tenantRoleProblems', () => {
  it('finds nothing wrong on a correctly set up database', () => {
    expect(tenantRoleProblems(healthy())).toEqual([]);
  });

  it('a missing app_tenant: apply the migrations (nothing else can be checked)', () => {
    const facts: TenantRoleFacts = { ...healthy(), tenantRole: null, grants: null, switched: null };
    expect(fixes(facts)).toEqual([expect.stringContaining('npm run db:migrate')]);
  });

  it('a role that may not switch: GRANT app_tenant TO it', () => {
    const facts: TenantRoleFacts = { ...healthy(), tenantRole: { ...healthy().tenantRole!, connectingRoleIsMember: false }, switched: switchRefused };
    expect(tenantRoleProblems(facts)).toEqual([{ problem: expect.stringContaining('may not switch to "app_tenant"'), fix: 'GRANT "app_tenant" TO "app";' }]);
  });

  it('on PostgreSQL 16+, a member that still may not switch was granted WITH SET FALSE', () => {
    expect(fixes({ ...healthy(), serverVersionNum: 160002, switched: switchRefused })).toEqual(['GRANT "app_tenant" TO "app" WITH SET TRUE;']);
    // PostgreSQL 15 has no SET option: a member can always switch, so the advice stays the plain GRANT.
    expect(fixes({ ...healthy(), serverVersionNum: 150004, switched: switchRefused })).toEqual(['GRANT "app_tenant" TO "app";']);
  });

  it('a connecting role that cannot bypass RLS: every API key would be 401', () => {
    const [problem] = tenantRoleProblems({ ...healthy(), connectingBypassesRls: false });
    expect(problem.problem).toContain('every API key would answer 401');
    expect(problem.fix).toBe('ALTER ROLE "app" BYPASSRLS;');
  });

  it('an app_tenant that could bypass RLS or log in', () => {
    const tenantRole = { canLogin: true, superuser: false, bypassesRls: true, connectingRoleIsMember: true };
    const [problem] = tenantRoleProblems({ ...healthy(), tenantRole });
    expect(problem.problem).toContain('is LOGIN BYPASSRLS');
    expect(problem.fix).toBe('ALTER ROLE "app_tenant" NOLOGIN NOSUPERUSER NOBYPASSRLS;');
  });

  it('names each missing privilege of app_tenant with its GRANT', () => {
    const facts = healthy();
    facts.grants = {
      schemaUsage: false,
      currentTenantIdExecute: false,
      auditInsert: false,
      tables: [
        { table: 'api_keys', missing: ['SELECT', 'DELETE'], ownedByTenantRole: false },
        { table: 'packages', missing: [], ownedByTenantRole: true },
      ],
    };
    expect(fixes(facts)).toEqual([
      'GRANT USAGE ON SCHEMA "public" TO "app_tenant";',
      'GRANT EXECUTE ON FUNCTION current_tenant_id() TO "app_tenant";',
      'GRANT SELECT, DELETE ON "api_keys" TO "app_tenant";',
      'ALTER TABLE "packages" OWNER TO "app";',
      'GRANT INSERT ON audit_events TO "app_tenant";',
    ]);
  });

  it('a schema without the migrations', () => {
    const facts = healthy();
    facts.grants = { schemaUsage: true, currentTenantIdExecute: null, auditInsert: null, tables: [] };
    expect(fixes(facts)).toEqual([expect.stringContaining('apply the migrations')]);
  });

  it('rows visible under app_tenant with no tenant set, or RLS not active', () => {
    const facts = healthy();
    facts.switched = {
      ok: true,
      currentUser: 'app_tenant',
      tables: [
        { table: 'api_keys', rlsActive: false, rowsVisible: true },
        { table: 'packages', rlsActive: true, rowsVisible: true },
      ],
    };
    const problems = tenantRoleProblems(facts);
    expect(problems.map((p) => p.fix)).toEqual([
      'ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;',
      expect.stringContaining(`WHERE tablename = 'packages'`),
    ]);
    expect(problems[1].problem).toContain('a policy lets them through');
  });

  it('any other failure under app_tenant is reported with its statement and SQLSTATE', () => {
    const facts = { ...healthy(), switched: { ok: false, step: 'SELECT 1 FROM "packages"', sqlState: '42501', message: 'permission denied for function current_tenant_id' } as const };
    expect(tenantRoleProblems(facts)).toEqual([
      { problem: 'SELECT 1 FROM "packages" failed: permission denied for function current_tenant_id (SQLSTATE 42501)', fix: expect.any(String) },
    ]);
  });

  it('quotes role names in the SQL it suggests', () => {
    expect(fixes({ ...healthy(), connectingRole: 'we"ird', connectingBypassesRls: false })).toEqual(['ALTER ROLE "we""ird" BYPASSRLS;']);
  });
});

describe('describeTenantRoleProblems', () => {
  it('is one message: the role, each problem with its fix, where to read more', () => {
    const message = describeTenantRoleProblems('app', [{ problem: 'p1', fix: 'F1;' }, { problem: 'p2', fix: 'F2;' }]);
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^Database role check failed: the role "app" cannot run tenant-scoped work/),
      '  - p1.',
      '    Fix: F1;',
      '  - p2.',
      '    Fix: F2;',
      expect.stringContaining('docs/security.md'),
    ]);
  });
});
