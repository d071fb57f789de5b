import type { Pool, QueryResult } from 'pg';
import { TENANT_DATABASE_ROLE, TENANT_SETTING } from './tenancy.constants';

/**
 * The lean path for hot reads of tenant-owned rows (docs/architecture.md, "Hot reads in one round
 * trip"). Prisma's interactive transaction costs a round trip and ORM work per statement (BEGIN,
 * set_config, each query, COMMIT); here the whole transaction is ONE simple-protocol message:
 *
 *   BEGIN; SELECT set_config('role', 'app_tenant', true), set_config('app.current_tenant_id', '<t>', true);
 *   <statement>; <statement>; COMMIT
 *
 * Walls 4 and 5 of docs/security.md hold as in TenantDatabase.run(): the role switch and the tenant
 * setting are transaction-local, so row-level security applies to every statement and nothing is
 * left on the pooled connection; and each statement also filters by the tenant itself.
 *
 * The simple protocol takes no bound parameters, so values are spliced in, but only as `Sql`
 * fragments this file builds from values it has strictly validated itself: a UUID (hex and dashes),
 * a safe integer, a boolean. A plain string interpolated into `sql` is refused at run time, so a
 * caller cannot concatenate anything else by accident.
 */
export class Sql {
  private constructor(readonly text: string) {}

  /** A UUID literal. Validated: only hex digits and dashes in the 8-4-4-4-12 shape reach the SQL. */
  static uuid(value: string): Sql {
    if (typeof value !== 'string' || !UUID.test(value)) throw new TypeError('Sql.uuid: not a UUID');
    return new Sql(`'${value.toLowerCase()}'::uuid`);
  }

  /** An integer literal. Validated: a safe integer prints as digits and an optional minus sign. */
  static integer(value: number): Sql {
    if (!Number.isSafeInteger(value)) throw new TypeError('Sql.integer: not a safe integer');
    return new Sql(String(value));
  }

  /** A boolean literal. Validated: only a real boolean, printed as one of two keywords. */
  static boolean(value: boolean): Sql {
    if (typeof value !== 'boolean') throw new TypeError('Sql.boolean: not a boolean');
    return new Sql(value ? 'TRUE' : 'FALSE');
  }

  /** Fragments joined by a separator from the code (the type admits only these two). */
  static join(parts: readonly Sql[], separator: ' AND ' | ', '): Sql {
    for (const part of parts) assertSql(part);
    return new Sql(parts.map((part) => part.text).join(separator));
  }

  /** For `sql` below only. */
  static fromTemplate(strings: TemplateStringsArray, values: readonly Sql[]): Sql {
    let text = strings[0];
    values.forEach((value, i) => {
      assertSql(value);
      text += value.text + strings[i + 1];
    });
    return new Sql(text);
  }
}

/**
 * A statement or fragment: the template's text is the code's own; every interpolated value must be
 * an `Sql` (a validated literal or another fragment), or this throws.
 */
export function sql(strings: TemplateStringsArray, ...values: Sql[]): Sql {
  if (strings.some((part) => part.includes(';'))) throw new TypeError('sql: one statement per fragment');
  return Sql.fromTemplate(strings, values);
}

/** The tenant's statements, given the tenant as a validated literal to filter by (wall 4). */
export type TenantStatements = (tenant: Sql) => readonly Sql[];

/**
 * Runs `statements` for `tenantId` in one transaction and one round trip; returns their results in
 * order. On any error the transaction is rolled back before the connection goes back to the pool
 * (a failed statement skips the rest, COMMIT included, leaving the transaction open); if even the
 * rollback fails, the connection is destroyed instead of returned.
 */
export async function runTenantBatch(pool: Pool, tenantId: string, statements: TenantStatements): Promise<QueryResult[]> {
  const tenant = Sql.uuid(tenantId); // throws unless tenantId is a UUID, so it may be spliced below
  const work = statements(tenant);
  if (work.length === 0) return [];
  for (const statement of work) assertSql(statement);
  const enter = `SELECT set_config('role', '${TENANT_DATABASE_ROLE}', true), set_config('${TENANT_SETTING}', '${tenantId.toLowerCase()}', true)`;
  const text = ['BEGIN', enter, ...work.map((statement) => statement.text), 'COMMIT'].join(';\n');
  const client = await pool.connect();
  let results: QueryResult[];
  try {
    results = (await client.query(text)) as unknown as QueryResult[];
  } catch (error) {
    await client.query('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
  client.release();
  return results.slice(2, 2 + work.length);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The constants spliced above are the code's own; checked once so an edit cannot smuggle a quote in.
for (const constant of [TENANT_DATABASE_ROLE, TENANT_SETTING]) {
  if (!/^[a-z_][a-z0-9_.]*$/.test(constant)) throw new Error(`tenant-batch-read: unexpected constant ${constant}`);
}

function assertSql(value: unknown): asserts value is Sql {
  if (!(value instanceof Sql)) throw new TypeError('sql: only Sql values (validated literals or fragments) may be interpolated');
}
