import type { ClientBase } from 'pg';
import { TENANT_DATABASE_ROLE } from './tenancy.constants';

/**
 * What wall 5 needs from the database roles, read for real on one connection: catalog facts first,
 * then, in a transaction that is rolled back, the switch to `app_tenant` every tenant-scoped
 * transaction makes and a SELECT on each tenant-owned table under it. Nothing is written.
 * Tenant-owned tables are found in the catalog as the tables with row-level security (a database
 * test holds TENANT_OWNED_MODELS to exactly those).
 */
export interface TenantRoleFacts {
  connectingRole: string;
  /** Superuser or BYPASSRLS: platform paths read tenant-owned rows before a tenant is known. */
  connectingBypassesRls: boolean;
  serverVersionNum: number;
  schema: string;
  tenantRole: TenantRoleAttributes | null;
  /** Null when the tenant role is missing (nothing about it can be read). */
  grants: TenantRoleGrants | null;
  /** Null when the switch was not tried (the role is missing). */
  switched: SwitchResult | null;
}

export interface TenantRoleAttributes {
  canLogin: boolean;
  superuser: boolean;
  bypassesRls: boolean;
  /** The connecting role is a member (directly, through other roles, or as a superuser). */
  connectingRoleIsMember: boolean;
}

export interface TenantRoleGrants {
  schemaUsage: boolean;
  /** Null: the function does not exist (migrations not applied). */
  currentTenantIdExecute: boolean | null;
  /** Null: the table does not exist. */
  auditInsert: boolean | null;
  tables: TenantTableGrants[];
}

export interface TenantTableGrants {
  table: string;
  /** Of SELECT, INSERT, UPDATE, DELETE, the ones the tenant role lacks. */
  missing: string[];
  ownedByTenantRole: boolean;
}

export type SwitchResult =
  | { ok: true; currentUser: string; tables: Array<{ table: string; rlsActive: boolean; rowsVisible: boolean }> }
  | { ok: false; step: string; sqlState: string | null; message: string };

export const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

export async function probeTenantRole(client: ClientBase): Promise<TenantRoleFacts> {
  const [facts] = (
    await client.query<Omit<TenantRoleFacts, 'tenantRole' | 'grants' | 'switched'> & { tenantRole: TenantRoleAttributes | null }>(
      `SELECT current_user AS "connectingRole",
              me.rolsuper OR me.rolbypassrls AS "connectingBypassesRls",
              current_setting('server_version_num')::int AS "serverVersionNum",
              current_schema() AS schema,
              CASE WHEN t.oid IS NULL THEN NULL ELSE json_build_object(
                'canLogin', t.rolcanlogin, 'superuser', t.rolsuper, 'bypassesRls', t.rolbypassrls,
                'connectingRoleIsMember', pg_has_role(current_user, t.oid, 'MEMBER')) END AS "tenantRole"
         FROM pg_roles me LEFT JOIN pg_roles t ON t.rolname = $1
        WHERE me.rolname = current_user`,
      [TENANT_DATABASE_ROLE],
    )
  ).rows;
  if (!facts.tenantRole) return { ...facts, grants: null, switched: null };
  const grants = await readGrants(client);
  // Tables it may not read are reported from the grants; reading them would only fail the same way.
  const readable = grants.tables.filter((t) => !t.missing.includes('SELECT')).map((t) => t.table);
  return { ...facts, grants, switched: await trySwitch(client, readable) };
}

async function readGrants(client: ClientBase): Promise<TenantRoleGrants> {
  const [global] = (
    await client.query<Omit<TenantRoleGrants, 'tables'>>(
      `SELECT has_schema_privilege($1, current_schema(), 'USAGE') AS "schemaUsage",
              has_function_privilege($1, to_regprocedure('current_tenant_id()'), 'EXECUTE') AS "currentTenantIdExecute",
              has_table_privilege($1, to_regclass('audit_events'), 'INSERT') AS "auditInsert"`,
      [TENANT_DATABASE_ROLE],
    )
  ).rows;
  const tables = (
    await client.query<{ table: string; granted: boolean[]; ownedByTenantRole: boolean }>(
      `SELECT c.relname AS table,
              ARRAY(SELECT has_table_privilege($1, c.oid, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n) AS granted,
              pg_has_role($1, c.relowner, 'USAGE') AS "ownedByTenantRole"
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND n.nspname = current_schema()
        ORDER BY c.relname`,
      [TENANT_DATABASE_ROLE, TABLE_PRIVILEGES],
    )
  ).rows;
  return {
    ...global,
    tables: tables.map(({ table, granted, ownedByTenantRole }) => ({
      table,
      missing: TABLE_PRIVILEGES.filter((_, i) => !granted[i]),
      ownedByTenantRole,
    })),
  };
}

/** The application's own switch (tenant-database.service.ts), then a read of each table with no tenant set. */
async function trySwitch(client: ClientBase, tables: string[]): Promise<SwitchResult> {
  let step = 'BEGIN';
  await client.query('BEGIN');
  try {
    step = `SET LOCAL ROLE ${TENANT_DATABASE_ROLE}`;
    await client.query(`SELECT set_config('role', $1, true)`, [TENANT_DATABASE_ROLE]);
    const currentUser = (await client.query<{ current_user: string }>('SELECT current_user')).rows[0].current_user;
    const seen: Array<{ table: string; rlsActive: boolean; rowsVisible: boolean }> = [];
    for (const table of tables) {
      const ident = client.escapeIdentifier(table);
      step = `SELECT 1 FROM ${ident} LIMIT 1 (as ${TENANT_DATABASE_ROLE}, no tenant set)`;
      const { rows } = await client.query<{ rlsActive: boolean; rowsVisible: boolean }>(
        `SELECT row_security_active($1::regclass) AS "rlsActive", EXISTS (SELECT 1 FROM ${ident}) AS "rowsVisible"`,
        [ident],
      );
      seen.push({ table, ...rows[0] });
    }
    return { ok: true, currentUser, tables: seen };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { ok: false, step, sqlState: code ?? null, message };
  } finally {
    await client.query('ROLLBACK');
  }
}
