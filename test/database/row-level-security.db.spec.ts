import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Wall 5 on its own: raw SQL with no application-level scoping at all, inside a transaction set up
 * the way tenant-scoped work is (SET LOCAL ROLE app_tenant + transaction-local app.current_tenant_id).
 * The connection's own role here is a superuser, which bypasses RLS: the role switch is what binds it.
 */
describe('row-level security alone', () => {
  let database: TestDatabase;
  let client: Client;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    for (const [id, slug] of [
      [tenantA, `rls-a-${tenantA.slice(0, 8)}`],
      [tenantB, `rls-b-${tenantB.slice(0, 8)}`],
    ]) {
      await client.query(`INSERT INTO tenants (id, slug, name, email) VALUES ($1, $2, $2, $3)`, [id, slug, `${slug}@example.com`]);
      await client.query(
        `INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name) VALUES ($1, $2, $3, repeat('0', 64), 'key')`,
        [id, randomUUID(), `pk_${randomUUID().replace(/-/g, '')}`],
      );
    }
  });

  afterAll(async () => {
    await client?.query('ROLLBACK').catch(() => undefined);
    await client?.end();
    await database?.drop();
  });

  /** Runs `work` in a transaction scoped to `tenantId` (or to no tenant), then rolls back. */
  async function asTenant<T>(tenantId: string | null, work: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE app_tenant');
      if (tenantId) await client.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
      return await work();
    } finally {
      await client.query('ROLLBACK');
    }
  }

  const tenantsSeen = async () =>
    (await client.query<{ tenantId: string }>(`SELECT DISTINCT "tenantId" FROM api_keys`)).rows.map((row) => row.tenantId);

  it("shows a tenant only its own rows, even to SELECT * with no WHERE", async () => {
    expect(await asTenant(tenantA, tenantsSeen)).toEqual([tenantA]);
    expect(await asTenant(tenantB, tenantsSeen)).toEqual([tenantB]);
  });

  it('shows nothing when no tenant is set (fails closed)', async () => {
    expect(await asTenant(null, tenantsSeen)).toEqual([]);
  });

  it("refuses to insert a row for another tenant", async () => {
    await expect(
      asTenant(tenantA, () =>
        client.query(
          `INSERT INTO api_keys ("tenantId", id, "publicId", "secretHash", name) VALUES ($1, $2, 'pk_x', repeat('0', 64), 'stolen')`,
          [tenantB, randomUUID()],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update, move or delete another tenant's rows", async () => {
    const result = await asTenant(tenantA, async () => ({
      updated: (await client.query(`UPDATE api_keys SET name = 'hijacked' WHERE "tenantId" = $1`, [tenantB])).rowCount,
      deleted: (await client.query(`DELETE FROM api_keys WHERE "tenantId" = $1`, [tenantB])).rowCount,
    }));
    expect(result).toEqual({ updated: 0, deleted: 0 });
    // Moving one's own row to another tenant fails the policy's WITH CHECK.
    await expect(
      asTenant(tenantA, () => client.query(`UPDATE api_keys SET "tenantId" = $1 WHERE "tenantId" = $2`, [tenantB, tenantA])),
    ).rejects.toThrow(/row-level security/);
  });

  it('keeps the tenant setting and the role inside the transaction (safe behind transaction pooling)', async () => {
    await asTenant(tenantA, tenantsSeen);
    const { rows } = await client.query<{ tenant: string | null; role: string }>(
      `SELECT current_setting('app.current_tenant_id', true) AS tenant, current_user AS role`,
    );
    expect(rows[0].tenant ?? '').toBe('');
    expect(rows[0].role).not.toBe('app_tenant');
  });
});
