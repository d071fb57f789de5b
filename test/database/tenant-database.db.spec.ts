import { PrismaService } from '../../src/database/prisma.service';
import { Prisma } from '../../src/generated/prisma/client';
import type { Principal } from '../../src/tenancy/principal';
import { TENANT_OWNED_MODELS } from '../../src/tenancy/tenancy.constants';
import { TenancyError } from '../../src/tenancy/tenancy.errors';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantDatabase } from '../../src/tenancy/tenant-database.service';
import { IdentityFixtures, KeyRow, TenantRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const system: Principal = { kind: 'service_account', serviceAccountId: '00000000-0000-4000-8000-000000000000', scopes: [] };
const asTenant = <T>(tenantId: string, work: () => Promise<T>) => TenantContext.runAs({ principal: system, tenantId, operatorOverride: false }, work);

/** Walls 4 and 5 through the application's own TenantDatabase, on the real PostgreSQL. */
describe('TenantDatabase', () => {
  // One pooled connection: proves the role and tenant setting do not outlive their transaction.
  const handle = useTestApp({ env: { DATABASE_POOL_SIZE: '1' } });
  let fixtures: IdentityFixtures;
  let database: TenantDatabase;
  let a: TenantRow;
  let b: TenantRow;
  let keyOfA: KeyRow;
  let keyOfB: KeyRow;

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    database = handle.app.get(TenantDatabase);
    a = await fixtures.tenant();
    b = await fixtures.tenant();
    keyOfA = await fixtures.apiKey(a.id);
    keyOfB = await fixtures.apiKey(b.id);
    // runFromPlatformAtOnce's two parts, as provisioning's are: PL/pgSQL, SECURITY INVOKER.
    await fixtures.query(`
      CREATE FUNCTION test_platform_part(p_tenant uuid, p_email text) RETURNS TABLE ("tenantId" uuid, "platformRole" text, "backend" int) LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO users (id, email, "passwordHash") VALUES (gen_random_uuid(), p_email, '!');
        RETURN QUERY SELECT p_tenant, current_user::text, pg_backend_pid();
      END $$`);
    await fixtures.query(`
      CREATE FUNCTION test_tenant_part(p_tenant uuid, p_write_for uuid) RETURNS jsonb LANGUAGE plpgsql AS $$
      BEGIN
        IF p_write_for IS NOT NULL THEN
          INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name) VALUES (p_write_for, gen_random_uuid(), 'pk_at_once', repeat('0', 64), 'x');
        END IF;
        RETURN jsonb_build_object('role', current_user, 'tenant', current_setting('app.current_tenant_id'),
          'keyTenants', (SELECT jsonb_agg(DISTINCT k."tenantId") FROM api_keys k));
      END $$`);
  });
  afterAll(() => fixtures.close());

  it('fails closed without a tenant in context', async () => {
    await expect(database.run((db) => db.apiKey.findMany())).rejects.toThrow(TenancyError);
    await expect(TenantContext.runAs({ principal: system, tenantId: null, operatorOverride: false }, () => database.run((db) => db.apiKey.count()))).rejects.toThrow(
      'No tenant in context',
    );
  });

  it('scopes queries: reads see only the tenant, lookups of the other tenant find nothing', async () => {
    const ids = await asTenant(a.id, () => database.run((db) => db.apiKey.findMany({ select: { id: true } })));
    expect(ids).toEqual([{ id: keyOfA.id }]);
    expect(await asTenant(a.id, () => database.run((db) => db.apiKey.findFirst({ where: { id: keyOfB.id } })))).toBeNull();
    const { count } = await asTenant(a.id, () => database.run((db) => db.apiKey.updateMany({ where: { id: keyOfB.id }, data: { name: 'taken' } })));
    expect(count).toBe(0);
  });

  it('refuses an explicit other tenant in a filter or a create', async () => {
    await expect(asTenant(a.id, () => database.run((db) => db.apiKey.findMany({ where: { tenantId: b.id } })))).rejects.toThrow('another tenant');
    await expect(
      asTenant(a.id, () =>
        database.run((db) => db.apiKey.create({ data: { tenantId: b.id, publicId: 'pk_x', secretHash: '0'.repeat(64), name: 'x' } })),
      ),
    ).rejects.toThrow('another tenant');
  });

  it('row-level security holds where the query layer is bypassed: raw SQL in the tenant transaction', async () => {
    const seen = await asTenant(a.id, () =>
      database.run((db) => db.$queryRaw<Array<{ tenantId: string; role: string }>>`SELECT "tenantId"::text, current_user AS role FROM api_keys`),
    );
    expect(seen).toEqual([{ tenantId: a.id, role: 'app_tenant' }]);
    await expect(
      asTenant(a.id, () =>
        database.run(
          (db) => db.$executeRaw`INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name) VALUES (${b.id}::uuid, gen_random_uuid(), 'pk_rls', ${'0'.repeat(64)}, 'x')`,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(asTenant(a.id, () => database.run((db) => db.$executeRaw`DELETE FROM api_keys WHERE "tenantId" = ${b.id}::uuid`))).resolves.toBe(0);
    expect(await fixtures.query(`SELECT id FROM api_keys WHERE "tenantId" = $1`, [b.id])).toHaveLength(1);
  });

  it('the role and the tenant setting end with the transaction (the pooled connection is clean)', async () => {
    await asTenant(a.id, () => database.run((db) => db.apiKey.count()));
    const [after] = await handle.app.get(PrismaService).$queryRaw<Array<{ role: string; tenant: string | null }>>`
      SELECT current_user AS role, current_setting('app.current_tenant_id', true) AS tenant`;
    expect(after.role).not.toBe('app_tenant');
    expect(after.tenant ?? '').toBe('');
  });

  it('a failure inside the work rolls back everything it wrote', async () => {
    const before = await fixtures.query(`SELECT count(*)::int AS n FROM api_keys WHERE "tenantId" = $1`, [a.id]);
    await expect(
      asTenant(a.id, () =>
        database.run(async (db) => {
          await db.apiKey.create({ data: { publicId: 'pk_rollback', secretHash: '0'.repeat(64), name: 'rolled back' } as never });
          throw new Error('crash mid-transaction');
        }),
      ),
    ).rejects.toThrow('crash mid-transaction');
    expect(await fixtures.query(`SELECT count(*)::int AS n FROM api_keys WHERE "tenantId" = $1`, [a.id])).toEqual(before);
  });

  describe('runFromPlatformAtOnce (provisioning: platform work, then tenant work, in one statement)', () => {
    const usersWithEmail = async (email: string) => (await fixtures.query(`SELECT id FROM users WHERE email = $1`, [email])).length;

    it('runs the platform part as the pool\'s role, then the tenant part as app_tenant for the tenant the platform part named, under row-level security; the pooled connection is clean after', async () => {
      const email = 'at-once-1@example.com';
      const { platform, tenant } = await database.runFromPlatformAtOnce<{ role: string; tenant: string; keyTenants: string[] }>(
        Prisma.sql`SELECT * FROM test_platform_part(${a.id}::uuid, ${email})`,
        Prisma.sql`test_tenant_part(platform."tenantId", NULL)`,
      );
      expect(platform).toEqual({ tenantId: a.id, platformRole: expect.not.stringMatching(/^app_tenant$/), backend: expect.any(Number) });
      // The pool's role here is a superuser, which would see both tenants' keys: row-level security filtered them.
      expect(tenant).toEqual({ role: 'app_tenant', tenant: a.id, keyTenants: [a.id] });
      expect(await usersWithEmail(email)).toBe(1);
      const [after] = await handle.app.get(PrismaService).$queryRaw<Array<{ role: string; tenant: string | null; backend: number }>>`
        SELECT current_user AS role, current_setting('app.current_tenant_id', true) AS tenant, pg_backend_pid() AS backend`;
      expect(after).toEqual({ role: platform.platformRole, tenant: '', backend: platform.backend });
    });

    it('a failure in the tenant part keeps nothing of the platform part: a write for another tenant is refused and the whole statement undone', async () => {
      const email = 'at-once-2@example.com';
      await expect(
        database.runFromPlatformAtOnce(Prisma.sql`SELECT * FROM test_platform_part(${a.id}::uuid, ${email})`, Prisma.sql`test_tenant_part(platform."tenantId", ${b.id}::uuid)`),
      ).rejects.toThrow(/row-level security/);
      expect(await usersWithEmail(email)).toBe(0);
      expect(await fixtures.query(`SELECT id FROM api_keys WHERE "tenantId" = $1`, [b.id])).toEqual([{ id: keyOfB.id }]);
    });

    it('refuses a tenant part that is not one function call, that reads a table in the statement itself (it would be planned before the switch, unfiltered), or that reads nothing of the platform row (it could be evaluated while planning)', async () => {
      const platform = Prisma.sql`SELECT * FROM test_platform_part(${a.id}::uuid, ${'at-once-3@example.com'})`;
      for (const call of [
        Prisma.sql`(SELECT jsonb_agg("tenantId") FROM api_keys)`,
        Prisma.sql`test_tenant_part((SELECT "tenantId" FROM api_keys LIMIT 1), NULL)`,
        Prisma.sql`platform."tenantId"`,
        Prisma.sql`test_tenant_part(${a.id}::uuid, NULL)`,
      ]) {
        await expect(database.runFromPlatformAtOnce(platform, call)).rejects.toThrow('one function call that reads no table');
      }
      expect(await usersWithEmail('at-once-3@example.com')).toBe(0);
    });
  });

  it('TENANT_OWNED_MODELS names exactly the tables that have row-level security', async () => {
    const rls = (await fixtures.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relrowsecurity AND relkind = 'r' ORDER BY 1`)).map((row) => row.relname);
    const client: unknown = handle.app.get(PrismaService);
    const runtime = (client as { _runtimeDataModel: { models: Record<string, { dbName: string | null }> } })._runtimeDataModel;
    const tables = TENANT_OWNED_MODELS.map((model) => runtime.models[model].dbName ?? model).sort();
    expect(tables).toEqual(rls);
  });
});
