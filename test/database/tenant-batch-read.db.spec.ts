import { Pool } from 'pg';
import { ApiKeysRepository } from '../../src/auth/api-keys.repository';
import { PackagesRepository } from '../../src/catalog/packages.repository';
import { PrismaService } from '../../src/database/prisma.service';
import type { Principal } from '../../src/tenancy/principal';
import { TenancyError } from '../../src/tenancy/tenancy.errors';
import { runTenantBatch, Sql, sql } from '../../src/tenancy/tenant-batch-read';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantDatabase } from '../../src/tenancy/tenant-database.service';
import { IdentityFixtures, TenantRow } from '../support/identity-fixtures';
import { useTestApp } from '../support/test-app';

const system: Principal = { kind: 'service_account', serviceAccountId: '00000000-0000-4000-8000-000000000000', scopes: [] };
const asTenant = <T>(tenantId: string, work: () => Promise<T>) => TenantContext.runAs({ principal: system, tenantId, operatorOverride: false }, work);

/** The one-round-trip read path (src/tenancy/tenant-batch-read.ts), on the real PostgreSQL. */
describe('TenantDatabase.readBatch', () => {
  // One pooled connection: the next checkout is the same connection (unless a failed batch had it
  // destroyed), so what a batch leaves behind shows.
  const handle = useTestApp({ env: { DATABASE_POOL_SIZE: '1' } });
  let fixtures: IdentityFixtures;
  let database: TenantDatabase;
  let pool: Pool;
  let a: TenantRow;
  let b: TenantRow;

  /** The pooled connection's state between requests: no role switch, no tenant, no open transaction. */
  const connectionState = async () =>
    (
      await pool.query<{ tenant: string | null; role: string; inTransaction: boolean }>(
        `SELECT current_setting('app.current_tenant_id', true) AS tenant, current_user AS role, now() <> statement_timestamp() AS "inTransaction"`,
      )
    ).rows[0];

  beforeAll(async () => {
    fixtures = await IdentityFixtures.connect(handle.database.url);
    database = handle.app.get(TenantDatabase);
    pool = handle.app.get(PrismaService).pool;
    a = await fixtures.tenant();
    b = await fixtures.tenant();
    for (const tenant of [a, b]) for (let i = 0; i < 3; i++) await fixtures.apiKey(tenant.id);
  });
  afterAll(() => fixtures.close());

  it('fails closed without a tenant in context', async () => {
    await expect(database.readBatch((tenant) => [sql`SELECT 1 WHERE ${tenant} IS NOT NULL`])).rejects.toThrow(TenancyError);
    await expect(
      TenantContext.runAs({ principal: system, tenantId: null, operatorOverride: false }, () => database.readBatch(() => [sql`SELECT 1`])),
    ).rejects.toThrow('No tenant in context');
  });

  it('row-level security holds where the statement does not filter: only the context tenant is seen, as app_tenant', async () => {
    const [rows] = await asTenant(a.id, () => database.readBatch(() => [sql`SELECT "tenantId"::text AS "tenantId", current_user AS role FROM "public"."api_keys"`]));
    expect(rows.rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.rows.map((row: { tenantId: string }) => row.tenantId))).toEqual(new Set([a.id]));
    expect(new Set(rows.rows.map((row: { role: string }) => row.role))).toEqual(new Set(['app_tenant']));
  });

  it('a crafted statement that names another tenant gets nothing: RLS refuses what scoping would have', async () => {
    const [named, counted] = await asTenant(a.id, () =>
      database.readBatch(() => [
        sql`SELECT id FROM "public"."api_keys" WHERE "tenantId" = ${Sql.uuid(b.id)}`,
        sql`SELECT COUNT(*)::int AS n FROM "public"."packages" WHERE "tenantId" = ${Sql.uuid(b.id)}`,
      ]),
    );
    expect(named.rows).toEqual([]);
    expect(counted.rows).toEqual([{ n: 0 }]);
    // The same rows are there for their own tenant.
    const [own] = await asTenant(b.id, () => database.readBatch((tenant) => [sql`SELECT id FROM "public"."api_keys" WHERE "tenantId" = ${tenant}`]));
    expect(own.rows.length).toBeGreaterThanOrEqual(3);
  });

  it('runs every statement in one transaction, as app_tenant for the context tenant to the last (no BEGIN or COMMIT is sent)', async () => {
    const results = await asTenant(a.id, () =>
      database.readBatch(() => [
        sql`SELECT txid_current()::text AS xid, current_user AS role, current_setting('app.current_tenant_id') AS tenant`,
        sql`SELECT COUNT(*)::int AS n FROM "public"."api_keys"`,
        sql`SELECT txid_current()::text AS xid, current_user AS role, current_setting('app.current_tenant_id') AS tenant`,
      ]),
    );
    const [first, , last] = results.map((result) => result.rows[0] as { xid: string; role: string; tenant: string });
    expect(last).toEqual(first);
    expect(first).toMatchObject({ role: 'app_tenant', tenant: a.id });
    // The next message is another transaction.
    const [again] = await asTenant(a.id, () => database.readBatch(() => [sql`SELECT txid_current()::text AS xid`]));
    expect((again.rows[0] as { xid: string }).xid).not.toBe(first.xid);
  });

  it('takes only SELECT statements: nothing that could end or change the transaction, or set anything for the session', async () => {
    const refused = [
      sql`COMMIT`,
      sql` begin`,
      sql`SAVEPOINT s`,
      sql`SET ROLE postgres`,
      sql`RESET ALL`,
      sql`/* x */ COMMIT`,
      sql`-- x
      COMMIT`,
      sql`DO $$BEGIN PERFORM 1 END$$`,
      sql`WITH gone AS (DELETE FROM "public"."api_keys" RETURNING id) SELECT COUNT(*) FROM gone`,
      sql`SELECT set_config('app.current_tenant_id', 'x', false)`,
      sql`SELECT SET_CONFIG('role', 'postgres', false)`,
    ];
    for (const statement of refused) {
      await expect(asTenant(a.id, () => database.readBatch(() => [statement]))).rejects.toThrow('must be a SELECT, without comments or set_config');
    }
    expect((await connectionState()).tenant || null).toBeNull();
  });

  it('leaves neither the role, the tenant nor a transaction on the pooled connection', async () => {
    await asTenant(a.id, () => database.readBatch((tenant) => [sql`SELECT id FROM "public"."api_keys" WHERE "tenantId" = ${tenant}`]));
    const state = await connectionState();
    expect(state.tenant === null || state.tenant === '').toBe(true);
    expect(state.role).not.toBe('app_tenant');
    expect(state.inTransaction).toBe(false);
  });

  it('rolls back on error and does not reuse the connection: the next checkout is another backend, with no tenant and no open transaction, and the next batch works', async () => {
    const backend = async () => (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const before = await backend();
    await expect(
      asTenant(a.id, () => database.readBatch((tenant) => [sql`SELECT id FROM "public"."api_keys" WHERE "tenantId" = ${tenant}`, sql`SELECT 1 / 0`])),
    ).rejects.toThrow('division by zero');
    expect(await backend()).not.toBe(before);
    const state = await connectionState();
    expect(state.tenant === null || state.tenant === '').toBe(true);
    expect(state.role).not.toBe('app_tenant');
    expect(state.inTransaction).toBe(false);
    // And the next batch works.
    const [rows] = await asTenant(b.id, () => database.readBatch((tenant) => [sql`SELECT COUNT(*)::int AS n FROM "public"."api_keys" WHERE "tenantId" = ${tenant}`]));
    expect(rows.rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it('splices in only validated values: strings, bad UUIDs, non-integers and non-booleans are refused before any SQL runs', async () => {
    const raw = "x' OR '1'='1" as unknown as Sql;
    expect(() => sql`SELECT ${raw}`).toThrow('only Sql values');
    expect(() => Sql.uuid("00000000-0000-4000-8000-00000000000' OR 1=1 --")).toThrow('not a UUID');
    expect(() => Sql.uuid('00000000-0000-4000-8000-00000000000g')).toThrow('not a UUID');
    expect(() => Sql.integer(1.5)).toThrow('not a safe integer');
    expect(() => Sql.integer(Number('1; DROP TABLE x'))).toThrow('not a safe integer');
    expect(() => Sql.boolean('true' as unknown as boolean)).toThrow('not a boolean');
    expect(() => Sql.join(['a' as unknown as Sql], ' AND ')).toThrow('only Sql values');
    expect(() => sql`SELECT 1; SELECT 2`).toThrow('one statement per fragment');
    await expect(runTenantBatch(pool, "' OR 1=1", () => [])).rejects.toThrow('not a UUID');
  });

  describe('answers exactly what the Prisma path answers for the same data', () => {
    let segments: string[];

    beforeAll(async () => {
      segments = [];
      for (const slug of ['one', 'two']) {
        const [row] = await fixtures.query<{ id: string }>(`INSERT INTO segments ("tenantId", id, slug, name) VALUES ($1, gen_random_uuid(), $2, $3) RETURNING id`, [a.id, `seg-${slug}`, slug]);
        segments.push(row.id);
      }
      for (let i = 0; i < 25; i++) {
        await fixtures.query(
          `INSERT INTO packages ("tenantId", id, "segmentId", slug, name, description, "basePrice", "bookingType", "groupingOrder", active) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9)`,
          [a.id, segments[i % 2], `p-${i}`, `Package ${i}`, i % 3 ? null : `About ${i}`, i * 100, i % 4 ? 'DATE' : 'TIMESLOT', i % 5, i % 3 !== 1],
        );
      }
      // Another tenant's packages, which neither path may return.
      const [other] = await fixtures.query<{ id: string }>(`INSERT INTO segments ("tenantId", id, slug, name) VALUES ($1, gen_random_uuid(), 'seg-b', 'b') RETURNING id`, [b.id]);
      await fixtures.query(`INSERT INTO packages ("tenantId", id, "segmentId", slug, name) VALUES ($1, gen_random_uuid(), $2, 'p-b', 'B')`, [b.id, other.id]);
    });

    it('packages: every filter, page and offset', async () => {
      const packages = handle.app.get(PackagesRepository);
      const filters = [{}, { active: true }, { active: false }, { segmentId: segments[0] }, { segmentId: segments[1], active: true }, { segmentId: b.id }];
      for (const filter of filters) {
        for (const [limit, offset] of [[20, 0], [5, 3], [50, 20], [10, 100]]) {
          const fast = await asTenant(a.id, () => packages.page(database, filter, limit, offset));
          const prisma = await asTenant(a.id, () => database.run((db) => packages.list(db, filter, limit, offset)));
          expect(fast).toEqual(prisma);
        }
      }
      const all = await asTenant(a.id, () => packages.page(database, {}, 100, 0));
      const [owned] = await fixtures.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM packages WHERE "tenantId" = $1`, [a.id]);
      expect(all.total).toBe(owned.n);
      expect(all.total).toBeGreaterThanOrEqual(25);
      expect(new Set(all.items.map((item) => item.tenantId))).toEqual(new Set([a.id]));
    });

    it('the hot-read functions: plans reused on one connection carry no tenant, and row-level security holds inside them', async () => {
      const packages = handle.app.get(PackagesRepository);
      const keys = handle.app.get(ApiKeysRepository);
      const owned = async (table: 'packages' | 'api_keys', tenantId: string) =>
        (await fixtures.query<{ id: string }>(`SELECT id FROM ${table} WHERE "tenantId" = $1 ORDER BY id`, [tenantId])).map((row) => row.id);
      const backend = async () => (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const before = await backend();
      // Tenants alternate on the one pooled connection: as PostgreSQL chooses (custom plans, then
      // after five calls a generic one if it costs no more), then with the generic plan forced, the
      // one plan every later call of the session would reuse.
      for (const planCacheMode of ['auto', 'force_generic_plan']) {
        await pool.query(`SET plan_cache_mode = ${planCacheMode}`);
        for (let i = 0; i < 8; i++) {
          for (const tenant of [a, b]) {
            const page = await asTenant(tenant.id, () => packages.page(database, {}, 100, 0));
            expect(page.items.map((item) => item.id).sort()).toEqual(await owned('packages', tenant.id));
            expect(page.total).toBe(page.items.length);
            const keyPage = await asTenant(tenant.id, () => keys.page(database, 100, 0));
            expect(keyPage.items.map((item) => item.id).sort()).toEqual(await owned('api_keys', tenant.id));
            expect(keyPage.total).toBe(keyPage.items.length);
          }
        }
      }
      await pool.query('RESET plan_cache_mode');
      expect(await backend()).toBe(before);
      // The functions' own filter (wall 4) holds without row-level security: called by the pool's
      // role outside any tenant transaction (it bypasses RLS), with tenant a's id, they see only a.
      const bypassing = await pool.query<{ tenantId: string }>(`SELECT "tenantId" FROM "public"."tenant_packages_page"($1, NULL, NULL, 1000, 0)`, [a.id]);
      expect(new Set(bypassing.rows.map((row) => row.tenantId))).toEqual(new Set([a.id]));
      const counted = await pool.query<{ n: number }>(`SELECT "public"."tenant_packages_count"($1, NULL, NULL) AS n, "public"."tenant_api_keys_count"($1) AS k`, [a.id]);
      expect(counted.rows[0]).toEqual({ n: (await owned('packages', a.id)).length, k: (await owned('api_keys', a.id)).length });
      const keyIds = await pool.query<{ id: string }>(`SELECT id FROM "public"."tenant_api_keys_page"($1, 1000, 0)`, [a.id]);
      expect(keyIds.rows.map((row) => row.id).sort()).toEqual(await owned('api_keys', a.id));
      // Called with another tenant's id, as app_tenant for tenant a: the functions run with the
      // caller's rights (SECURITY INVOKER), so the policy refuses b's rows that their filter selects.
      const [page, count, keyPage, keyCount] = await asTenant(a.id, () =>
        database.readBatch(() => [
          sql`SELECT * FROM "public"."tenant_packages_page"(${Sql.uuid(b.id)}, NULL::uuid, NULL::boolean, 100, 0)`,
          sql`SELECT "public"."tenant_packages_count"(${Sql.uuid(b.id)}, NULL::uuid, NULL::boolean) AS n`,
          sql`SELECT * FROM "public"."tenant_api_keys_page"(${Sql.uuid(b.id)}, 100, 0)`,
          sql`SELECT "public"."tenant_api_keys_count"(${Sql.uuid(b.id)}) AS n`,
        ]),
      );
      expect(page.rows).toEqual([]);
      expect(count.rows).toEqual([{ n: 0 }]);
      expect(keyPage.rows).toEqual([]);
      expect(keyCount.rows).toEqual([{ n: 0 }]);
      expect((await owned('packages', b.id)).length).toBeGreaterThan(0);
    });

    it('API keys: pages and offsets', async () => {
      const keys = handle.app.get(ApiKeysRepository);
      for (const [limit, offset] of [[20, 0], [2, 1], [10, 5]]) {
        const fast = await asTenant(a.id, () => keys.page(database, limit, offset));
        const prisma = await asTenant(a.id, () => database.run((db) => keys.list(db, limit, offset)));
        expect(fast).toEqual(prisma);
      }
    });
  });
});
