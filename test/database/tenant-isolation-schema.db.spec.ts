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
