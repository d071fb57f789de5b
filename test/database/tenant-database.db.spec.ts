import { PrismaService } from '../../src/database/prisma.service';
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

  it('TENANT_OWNED_MODELS names exactly the tables that have row-level security', async () => {
    const rls = (await fixtures.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relrowsecurity AND relkind = 'r' ORDER BY 1`)).map((row) => row.relname);
    const client: unknown = handle.app.get(PrismaService);
    const runtime = (client as { _runtimeDataModel: { models: Record<string, { dbName: string | null }> } })._runtimeDataModel;
    const tables = TENANT_OWNED_MODELS.map((model) => runtime.models[model].dbName ?? model).sort();
    expect(tables).toEqual(rls);
  });
});
