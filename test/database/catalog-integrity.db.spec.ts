import { randomUUID } from 'node:crypto';
import { Client, DatabaseError } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The database's own guarantee, with CatalogService bypassed: a package always has a segment, and
 * only one of its own tenant (the composite `(tenantId, segmentId)` foreign key of the design),
 * whoever writes the row: the owner (which bypasses RLS here) or the tenant role.
 */
describe('catalog integrity in the database', () => {
  let database: TestDatabase;
  let client: Client;
  const tenants = { a: randomUUID(), b: randomUUID() };
  const segments = { a: randomUUID(), b: randomUUID() };

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    for (const key of ['a', 'b'] as const) {
      const slug = `cat-${key}-${tenants[key].slice(0, 8)}`;
      await client.query(`INSERT INTO tenants (id, slug, name, email, status) VALUES ($1, $2, $2, $3, 'ACTIVE')`, [tenants[key], slug, `${slug}@example.com`]);
      await client.query(`INSERT INTO segments ("tenantId", id, slug, name) VALUES ($1, $2, 'general', 'General')`, [tenants[key], segments[key]]);
    }
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const insertPackage = (tenantId: string, segmentId: string | null, slug = `p-${randomUUID().slice(0, 8)}`) =>
    client.query(`INSERT INTO packages ("tenantId", id, "segmentId", slug, name) VALUES ($1, $2, $3, $4, 'P')`, [tenantId, randomUUID(), segmentId, slug]);

  async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
    try {
      await work;
      return undefined;
    } catch (error) {
      return (error as DatabaseError).code;
    }
  }

  it("refuses a package pointing at another tenant's segment (23503), even from the table owner", async () => {
    expect(await sqlState(insertPackage(tenants.a, segments.b))).toBe('23503');
    expect(await sqlState(insertPackage(tenants.a, segments.a))).toBeUndefined();
  });

  it('refuses a package without a segment (23502)', async () => {
    expect(await sqlState(insertPackage(tenants.a, null))).toBe('23502');
  });

  it("refuses moving a package to another tenant's segment", async () => {
    await insertPackage(tenants.a, segments.a, 'movable');
    expect(await sqlState(client.query(`UPDATE packages SET "segmentId" = $1 WHERE "tenantId" = $2 AND slug = 'movable'`, [segments.b, tenants.a]))).toBe('23503');
  });

  it("refuses it as the tenant role too, where the other tenant's segment is not even visible", async () => {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE app_tenant');
      await client.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenants.a]);
      expect((await client.query(`SELECT id FROM segments`)).rows.map((row: { id: string }) => row.id)).toEqual([segments.a]);
      expect(await sqlState(insertPackage(tenants.a, segments.b))).toBe('23503');
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('refuses deleting a segment that still has packages (RESTRICT), so none is left without one', async () => {
    const segment = randomUUID();
    await client.query(`INSERT INTO segments ("tenantId", id, slug, name) VALUES ($1, $2, 'busy', 'Busy')`, [tenants.b, segment]);
    await insertPackage(tenants.b, segment);
    expect(await sqlState(client.query(`DELETE FROM segments WHERE "tenantId" = $1 AND id = $2`, [tenants.b, segment]))).toBe('23503');
  });

  it('a proposal belongs to its tenant: the tenant role cannot read or write another tenant\'s', async () => {
    await client.query(
      `INSERT INTO agent_proposals ("tenantId", id, tool, payload, summary, "proposedByType", "expiresAt") VALUES ($1, $2, 'upsert_package', '{}', 's', 'API_KEY', now() + interval '1 hour')`,
      [tenants.b, randomUUID()],
    );
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE app_tenant');
      await client.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenants.a]);
      expect((await client.query(`SELECT id FROM agent_proposals`)).rowCount).toBe(0);
      expect((await client.query(`UPDATE agent_proposals SET status = 'CONFIRMED', "decidedAt" = now()`)).rowCount).toBe(0);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
