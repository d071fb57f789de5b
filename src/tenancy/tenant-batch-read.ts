import type { Pool, QueryResult } from 'pg';
import { TENANT_DATABASE_ROLE, TENANT_SETTING } from './tenancy.constants';

/**
 * The lean path for hot reads of tenant-owned rows (docs/architecture.md, "Hot reads in one round
 * trip"). Prisma's interactive transaction costs a round trip and ORM work per statement (BEGIN,
 * set_config, each query, COMMIT); here the whole transaction is ONE simple-protocol message:
 *
 *   SET LOCAL ROLE app_tenant; SET LOCAL app.current_tenant_id = '<t>';
 *   <statement>; <statement>
 *
 * PostgreSQL runs the statements of one simple Query message as one implicit transaction (protocol
 * docs, "Multiple Statements in a Simple Query"): committed after the last, rolled back at the first
 * error. So BEGIN and COMMIT need not be sent (two statements fewer per request, measured in
 * docs/benchmarks.md); only SELECT statements are taken, so none can end or change that transaction.
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

  /** Sql.uuid(value), or a typed NULL for an absent optional filter. */
  static uuidOrNull(value: string | undefined): Sql {
    return value === undefined ? new Sql('NULL::uuid') : Sql.uuid(value);
  }

  /** Sql.boolean(value), or a typed NULL for an absent optional filter. */
  static booleanOrNull(value: boolean | undefined): Sql {
    return value === undefined ? new Sql('NULL::boolean') : Sql.boolean(value);
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
 * order. On an error PostgreSQL has already rolled the implicit transaction back; the pool then
 * destroys the connection instead of reusing it (pg-pool does so for any failed `pool.query`).
 */
export async function runTenantBatch(pool: Pool, tenantId: string, statements: TenantStatements): Promise<QueryResult[]> {
  const tenant = Sql.uuid(tenantId); // throws unless tenantId is a UUID, so it may be spliced below
  const work = statements(tenant);
  if (work.length === 0) return [];
  for (const statement of work) {
    assertSql(statement);
    // Reads only: a COMMIT, a SET or a session-wide set_config() would let what follows run outside the
    // tenant's transaction, or leave a setting on the pooled connection.
    if (!READ_ONLY_STATEMENT.test(statement.text) || /--|\/\*|set_config/i.test(statement.text)) {
      throw new TypeError('sql: a batch statement must be a SELECT, without comments or set_config');
    }
  }
  const enter = enterTenant(tenantId);
  const text = [...enter, ...work.map((statement) => statement.text)].join(';\n');
  const results = (await pool.query(text)) as unknown as QueryResult[];
  return results.slice(enter.length, enter.length + work.length);
}

/**
 * The batch's first statements: the role and the tenant, both transaction-local (SET LOCAL lasts to
 * the end of the implicit transaction, as set_config(..., true) does in TenantDatabase.run()).
 * Utility statements, not `SELECT set_config(...)`: PostgreSQL neither plans nor executes a query for
 * them and sends no row back (measured in docs/benchmarks.md, "Hot-read functions"). `tenantId` has
 * been validated as a UUID by the caller; the two names are the code's constants, checked below.
 */
function enterTenant(tenantId: string): string[] {
  return [`SET LOCAL ROLE ${TENANT_DATABASE_ROLE}`, `SET LOCAL ${TENANT_SETTING} = '${tenantId.toLowerCase()}'`];
}

const READ_ONLY_STATEMENT = /^\s*SELECT\b/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The constants spliced above are the code's own; checked once so an edit cannot smuggle a quote in.
for (const constant of [TENANT_DATABASE_ROLE, TENANT_SETTING]) {
  if (!/^[a-z_][a-z0-9_.]*$/.test(constant)) throw new Error(`tenant-batch-read: unexpected constant ${constant}`);
}

function assertSql(value: unknown): asserts value is Sql {
  if (!(value instanceof Sql)) throw new TypeError('sql: only Sql values (validated literals or fragments) may be interpolated');
}
