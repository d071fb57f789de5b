import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Global tables that carry a `tenantId` yet are not tenant-owned (design: memberships are global,
 * read to authenticate before any tenant is known; audit events outlive their tenant and include
 * platform events with none). Every other table with a `tenantId` column is tenant-owned and must
 * pass every check below; new tables are found from the catalog, not listed.
 */
const GLOBAL_TABLES_WITH_TENANT_ID = ['tenant_memberships', 'audit_events'];
const TENANT_ROLE = 'app_tenant';

describe('tenant-owned tables (read from the live catalog after migrations)', () => {
  let database: TestDatabase;
  let client: Client;
  let tables: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenantId' ORDER BY table_name`,
    );
    tables = rows.map((row) => row.table_name).filter((name) => !GLOBAL_TABLES_WITH_TENANT_ID.includes(name));
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  async function rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await client.query<T>(sql, params)).rows;
  }

  it('exist (the check is not vacuous)', () => {
    expect(tables).toContain('api_keys');
  });

  it('have tenantId NOT NULL', async () => {
    const nullable = await rows<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenantId' AND is_nullable = 'YES' AND table_name = ANY($1)`,
      [tables],
    );
    expect(nullable).toEqual([]);
  });

  it('have row-level security enabled and forced, with a policy on app.current_tenant_id', async () => {
    for (const table of tables) {
      const [rls] = await rows<{ enabled: boolean; forced: boolean }>(
        `SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class WHERE oid = $1::regclass`,
        [`public."${table}"`],
      );
      expect({ table, ...rls }).toEqual({ table, enabled: true, forced: true });
      const policies = await rows<{ qual: string | null; with_check: string | null; cmd: string }>(
        `SELECT qual, with_check, cmd FROM pg_policies WHERE schemaname = 'public' AND tablename = $1`,
        [table],
      );
      expect({ table, policies: policies.length }).not.toEqual({ table, policies: 0 });
      for (const policy of policies) {
        // Both reading (USING) and writing (WITH CHECK) are bound to the current tenant.
        expect({ table, using: policy.qual }).toEqual({ table, using: expect.stringMatching(/"tenantId" = current_tenant_id\(\)/) });
        expect({ table, check: policy.with_check }).toEqual({ table, check: expect.stringMatching(/"tenantId" = current_tenant_id\(\)/) });
      }
    }
    const [fn] = await rows<{ body: string }>(`SELECT prosrc AS body FROM pg_proc WHERE proname = 'current_tenant_id'`);
    expect(fn.body).toContain("current_setting('app.current_tenant_id', true)");
  });

  it('sit behind no SECURITY DEFINER function: every function runs with its caller\'s rights, so the policies apply inside it, and none sets the role or a setting', async () => {
    // A definer's function would run as the owner, which bypasses row-level security: the hot-read
    // functions (tenant_packages_page, ...) would then return any tenant's rows they were asked for.
    const functions = await rows<{ name: string; definer: boolean; body: string }>(
      `SELECT proname AS name, prosecdef AS definer, prosrc AS body FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY proname`,
    );
    expect(functions.map((fn) => fn.name)).toEqual(expect.arrayContaining(['current_tenant_id', 'tenant_api_keys_page', 'tenant_packages_page']));
    expect(functions.filter((fn) => fn.definer)).toEqual([]);
    // Nor does one change the role or a setting: the one-message batch (tenant-batch-read.ts) calls
    // functions, and relies on nothing in it changing the transaction's role or tenant.
    expect(functions.filter((fn) => /set_config|\bset\s+(local\s+|session\s+)?(role|session\s+authorization)\b|\breset\b/i.test(fn.body)).map((fn) => fn.name)).toEqual([]);
  });

  it('lead their primary key with tenantId and include it in every unique constraint', async () => {
    const constraints = await rows<{ table_name: string; name: string; type: string; columns: string[] }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, c.contype::text AS type,
              array_agg(a.attname::text ORDER BY k.ordinality) AS columns
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ordinality)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype IN ('p', 'u') AND c.connamespace = 'public'::regnamespace
        GROUP BY c.conrelid, c.conname, c.contype`,
    );
    const indexes = await rows<{ table_name: string; name: string; definition: string }>(
      `SELECT tablename AS table_name, indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = 'public' AND indexdef LIKE 'CREATE UNIQUE INDEX%'`,
    );
    for (const table of tables) {
      const primary = constraints.find((c) => c.table_name === table && c.type === 'p');
      expect({ table, primaryKeyStart: primary?.columns[0] }).toEqual({ table, primaryKeyStart: 'tenantId' });
      for (const unique of indexes.filter((index) => index.table_name === table)) {
        expect({ table, index: unique.name, hasTenantId: unique.definition.includes('"tenantId"') }).toEqual({
          table,
          index: unique.name,
          hasTenantId: true,
        });
      }
    }
  });

  it('reference other tenant-owned tables only through keys that include tenantId', async () => {
    const foreignKeys = await rows<{ table_name: string; target: string; name: string; columns: string[] }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS target, c.conname AS name,
              array_agg(a.attname::text) AS columns
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey) AS k(attnum)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        GROUP BY c.conrelid, c.confrelid, c.conname`,
    );
    for (const fk of foreignKeys.filter((key) => tables.includes(key.table_name) && tables.includes(key.target))) {
      expect({ fk: fk.name, columns: fk.columns }).toEqual({ fk: fk.name, columns: expect.arrayContaining(['tenantId']) });
    }
  });

  /**
   * The rule that lets the schema shard by tenant on Citus (docs/architecture.md, "Beyond one
   * database"): `tenantId` is the distribution column, so every primary key, unique index and foreign
   * key of a tenant-owned table must lead with it. Then each key is enforced inside one shard, and a
   * foreign key joins rows of the same tenant, hence of the same (co-located) shard. Read from
   * pg_index and pg_constraint, so an index made outside Prisma's schema counts too.
   */
  it('lead every primary key, unique index and foreign key with tenantId (the Citus distribution column)', async () => {
    const uniques = await rows<{ table_name: string; name: string; first: string | null }>(
      `SELECT t.relname AS table_name, i.relname AS name, a.attname::text AS first
         FROM pg_index x
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_class i ON i.oid = x.indexrelid
         LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
        WHERE (x.indisunique OR x.indisprimary) AND t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)`,
      [tables],
    );
    // Each table has at least its primary key: the check is not vacuous.
    expect(new Set(uniques.map((index) => index.table_name))).toEqual(new Set(tables));
    // An expression index has no first column (indkey[0] = 0): it fails too.
    expect(uniques.filter((index) => index.first !== 'tenantId')).toEqual([]);

    const foreignKeys = await rows<{ table_name: string; name: string; target: string; columns: string[]; targetColumns: string[] }>(
      `SELECT t.relname AS table_name, c.conname AS name, c.confrelid::regclass::text AS target,
              (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS "targetColumns"
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)`,
      [tables],
    );
    expect(foreignKeys.some((key) => key.target !== 'tenants')).toBe(true); // packages -> segments: not vacuous
    // tenantId first, and paired with the target's tenant: its tenantId, or the tenant's own id.
    const misfits = foreignKeys.filter((key) => {
      const pairedWith = key.target === 'tenants' ? 'id' : 'tenantId';
      return key.columns[0] !== 'tenantId' || key.targetColumns[0] !== pairedWith || (key.target !== 'tenants' && !tables.includes(key.target));
    });
    expect(misfits).toEqual([]);
  });

  it(`are readable and writable by ${TENANT_ROLE}, a role that cannot bypass row-level security`, async () => {
    const [role] = await rows<{ rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`,
      [TENANT_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    for (const table of tables) {
      const [owner] = await rows<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = $1`, [table]);
      expect(owner.owner).not.toBe(TENANT_ROLE);
      for (const privilege of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) {
        const [granted] = await rows<{ ok: boolean }>(`SELECT has_table_privilege($1, $2, $3) AS ok`, [TENANT_ROLE, `public."${table}"`, privilege]);
        expect({ table, privilege, ...granted }).toEqual({ table, privilege, ok: true });
      }
    }
  });
});
