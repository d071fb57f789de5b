import { Client } from 'pg';
import { ProvisioningError } from '../../src/provisioning/provisioning.errors';
import { findOrphans } from '../../src/provisioning/tenant-orphans';
import { TenantProvisioningService } from '../../src/provisioning/tenant-provisioning.service';
import { bearer } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

/**
 * Fault injection with real parts: triggers in this suite's database raise at a chosen step of the
 * provisioning transaction (or at its COMMIT), and the test checks that nothing of the tenant is left.
 */
const FAULT_SQL = `
  CREATE TABLE fault_injection (step text PRIMARY KEY);
  -- SECURITY DEFINER: the tenant-owned inserts run as app_tenant, which cannot read this table.
  CREATE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
  -- to_jsonb: NEW.slug would not compile for tables without a slug column.
  DECLARE fault_step text := TG_ARGV[0] || CASE WHEN TG_TABLE_NAME = 'packages' THEN ':' || (to_jsonb(NEW) ->> 'slug') ELSE '' END;
  BEGIN
    IF EXISTS (SELECT 1 FROM public.fault_injection f WHERE f.step = fault_step) THEN
      RAISE EXCEPTION 'injected fault at %', fault_step;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER fault_tenant BEFORE INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION inject_fault('tenant');
  CREATE TRIGGER fault_owner BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION inject_fault('owner');
  CREATE TRIGGER fault_membership BEFORE INSERT ON tenant_memberships FOR EACH ROW EXECUTE FUNCTION inject_fault('membership');
  CREATE TRIGGER fault_segment BEFORE INSERT ON segments FOR EACH ROW EXECUTE FUNCTION inject_fault('segment');
  CREATE TRIGGER fault_package BEFORE INSERT ON packages FOR EACH ROW EXECUTE FUNCTION inject_fault('package');
  CREATE TRIGGER fault_key BEFORE INSERT ON api_keys FOR EACH ROW EXECUTE FUNCTION inject_fault('key');
  CREATE TRIGGER fault_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION inject_fault('audit');
  -- After the last step: deferred to COMMIT, when every row is already written.
  CREATE CONSTRAINT TRIGGER fault_commit AFTER INSERT ON audit_events DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION inject_fault('commit');
`;

const STEPS = [
  'tenant',
  'owner',
  'membership',
  'segment',
  'package:basic-package',
  'package:standard-package',
  'package:premium-package',
  'key',
  'audit',
  'commit',
];

describe('provisioning is all or nothing', () => {
  const handle = useTestApp({ env: { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' } });
  let client: Client;
  let provisioning: TenantProvisioningService;

  beforeAll(async () => {
    client = new Client({ connectionString: handle.database.url });
    client.on('error', () => {});
    await client.connect();
    await client.query(FAULT_SQL);
    provisioning = handle.app.get(TenantProvisioningService);
  });
  afterAll(() => client.end());

  afterEach(() => client.query('DELETE FROM fault_injection'));

  const count = async (sql: string, params: unknown[]) => Number((await client.query<{ n: string }>(sql, params)).rows[0].n);

  /** Every trace a tenant with this slug and email could have left. */
  async function traces(slug: string, email: string) {
    return {
      tenants: await count('SELECT count(*) AS n FROM tenants WHERE slug = $1 OR email = $2', [slug, email]),
      users: await count('SELECT count(*) AS n FROM users WHERE email = $1', [email]),
      segments: await count('SELECT count(*) AS n FROM segments s WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = s."tenantId")', []),
      auditEvents: await count(`SELECT count(*) AS n FROM audit_events WHERE metadata->>'slug' = $1`, [slug]),
    };
  }

  it.each(STEPS)('a failure at %s leaves no row of the tenant and no orphan', async (step) => {
    await client.query('INSERT INTO fault_injection (step) VALUES ($1)', [step]);
    const slug = `fault-${step.replace(/[^a-z]+/g, '-')}`;
    const email = `${slug}@example.com`;
    await expect(provisioning.createFullyProvisioned({ name: `Fault ${step}`, email, slug })).rejects.toMatchObject({ code: 'PROVISIONING_FAILED' });
    expect(await traces(slug, email)).toEqual({ tenants: 0, users: 0, segments: 0, auditEvents: 0 });
    expect(await findOrphans(client)).toEqual([]);

    // The same input succeeds once the fault is gone: nothing half-made stands in its way.
    await client.query('DELETE FROM fault_injection');
    const made = await provisioning.createFullyProvisioned({ name: `Fault ${step}`, email, slug });
    expect(made.packages).toHaveLength(3);
  });

  it('the error is a 503 envelope that leaks nothing; signup persists nothing', async () => {
    await client.query(`INSERT INTO fault_injection (step) VALUES ('package:premium-package')`);
    const email = 'signup-fault@example.com';
    const response = await handle.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: 'a sound password 2026', businessName: 'Signup Fault', slug: 'signup-fault' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: expect.stringMatching(/nothing was saved/), code: 'PROVISIONING_FAILED', requestId: expect.any(String) });
    expect(response.body).not.toMatch(/injected|trigger|packages|premium/);
    expect(await traces('signup-fault', email)).toEqual({ tenants: 0, users: 0, segments: 0, auditEvents: 0 });
    expect(await findOrphans(client)).toEqual([]);
  });

  it('conflicts are not masked as failures: a taken slug stays a 409, not a 503', async () => {
    await provisioning.createFullyProvisioned({ name: 'Taken', email: 'taken-1@example.com', slug: 'taken-slug' });
    const error = await provisioning.createFullyProvisioned({ name: 'Taken', email: 'taken-2@example.com', slug: 'taken-slug' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error).toMatchObject({ code: 'TENANT_SLUG_TAKEN' });
  });

  it('writes the platform rows as the pool\'s role and the tenant\'s rows as app_tenant for the new tenant, under row-level security', async () => {
    // SECURITY INVOKER, unlike inject_fault: it records who is writing each row, and as which tenant.
    await client.query(`
      CREATE TABLE write_roles (tbl text, role text, tenant text);
      GRANT INSERT ON write_roles TO app_tenant;
      CREATE FUNCTION record_write_role() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO public.write_roles VALUES (TG_TABLE_NAME, current_user, coalesce(current_setting('app.current_tenant_id', true), ''));
        RETURN NEW;
      END $$;
      ${['tenants', 'users', 'tenant_memberships', 'segments', 'packages', 'api_keys', 'audit_events']
        .map((table) => `CREATE TRIGGER record_${table} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION record_write_role();`)
        .join('\n')}`);
    try {
      const response = await handle.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: 'roles@example.com', password: 'a sound password 2026', businessName: 'Roles', slug: 'roles' },
      });
      expect(response.statusCode).toBe(201);
      const tenantId = response.json<{ tenant: { id: string } }>().tenant.id;
      const { rows } = await client.query<{ tbl: string; role: string; tenant: string }>('SELECT tbl, role, tenant FROM write_roles');
      const [{ role: poolRole }] = (await client.query<{ role: string }>('SELECT current_user AS role')).rows;
      const platform = { role: poolRole, tenant: '' };
      const asTenant = { role: 'app_tenant', tenant: tenantId };
      expect(rows.sort((x, y) => x.tbl.localeCompare(y.tbl))).toEqual([
        { tbl: 'api_keys', ...asTenant },
        { tbl: 'audit_events', ...asTenant },
        { tbl: 'packages', ...asTenant },
        { tbl: 'packages', ...asTenant },
        { tbl: 'packages', ...asTenant },
        { tbl: 'segments', ...asTenant },
        { tbl: 'tenant_memberships', ...platform },
        { tbl: 'tenants', ...platform },
        { tbl: 'users', ...platform },
      ]);
    } finally {
      await client.query('DROP FUNCTION record_write_role() CASCADE; DROP TABLE write_roles');
    }
  });

  it('the provisioning functions run with their caller\'s rights, are never evaluated early, and the tenant half refuses any role or tenant but the one it writes for', async () => {
    const { rows } = await client.query<{ name: string; language: string; volatility: string; definer: boolean }>(
      `SELECT p.proname AS name, l.lanname AS language, p.provolatile AS volatility, p.prosecdef AS definer
         FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname LIKE 'provision_tenant_%' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { name: 'provision_tenant_defaults', language: 'plpgsql', volatility: 'v', definer: false },
      { name: 'provision_tenant_platform', language: 'plpgsql', volatility: 'v', definer: false },
    ]);
    const tenant = await provisioning.createFullyProvisioned({ name: 'Guarded', email: 'guarded@example.com', slug: 'guarded' });
    const call = `SELECT provision_tenant_defaults($1::uuid, gen_random_uuid(), 'extra', 'Extra', NULL, NULL, 0, '{}', '{}', '{}', '{}', '{}', '{}',
      gen_random_uuid(), 'pk_extra', repeat('0', 64), 'Extra', '{}', gen_random_uuid(), 'SYSTEM', NULL, NULL, '{}')`;
    // As the pool's role (no switch), and as app_tenant entered for another tenant.
    await expect(client.query(call, [tenant.tenant.id])).rejects.toThrow('must run as app_tenant for tenant');
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('role', 'app_tenant', true), set_config('app.current_tenant_id', gen_random_uuid()::text, true)`);
      await expect(client.query(call, [tenant.tenant.id])).rejects.toThrow('must run as app_tenant for tenant');
    } finally {
      await client.query('ROLLBACK');
    }
    expect(Number((await client.query(`SELECT count(*) AS n FROM segments WHERE "tenantId" = $1`, [tenant.tenant.id])).rows[0].n)).toBe(1);
  });

  it('the first key is stored only as a hash and authenticates once provisioning commits', async () => {
    const made = await provisioning.createFullyProvisioned({ name: 'Keyed', email: 'keyed@example.com', slug: 'keyed' });
    const { rows } = await client.query<{ secretHash: string }>('SELECT "secretHash" FROM api_keys WHERE "tenantId" = $1', [made.tenant.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].secretHash).not.toContain(made.apiKey.secretKey);
    expect(JSON.stringify(rows)).not.toContain(made.apiKey.secretKey.slice(28));
    expect((await handle.app.inject({ method: 'GET', url: '/api/v1/account', headers: bearer(made.apiKey.secretKey) })).statusCode).toBe(200);
  });
});
