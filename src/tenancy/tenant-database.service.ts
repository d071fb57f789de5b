import { Injectable } from '@nestjs/common';
import type { QueryResult } from 'pg';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { MetricsService } from '../metrics/metrics.service';
import { DenialReason, TENANT_DATABASE_ROLE, TENANT_OWNED_MODELS, TENANT_SETTING } from './tenancy.constants';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';
import { SYSTEM_PRINCIPAL } from './principal';
import { TenantContext } from './tenant-context';
import { scopeTenantArgs } from './tenant-scoping';
import { runTenantBatch, type TenantStatements } from './tenant-batch-read';

const tenantOwned = new Set<string>(TENANT_OWNED_MODELS);

/** The Prisma client with wall 4: tenant-owned models only ever see the context's tenant. */
function createScopedClient(prisma: PrismaService, metrics: MetricsService) {
  return prisma.$extends({
    name: 'tenant-scoping',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (!tenantOwned.has(model)) return query(args);
          try {
            const tenantId = TenantContext.requireTenantId();
            return query(scopeTenantArgs(operation, args, tenantId));
          } catch (error) {
            if (error instanceof TenancyError) {
              metrics.isolationDenied(
                error.code === TenancyErrorCode.TENANT_CONTEXT_MISSING ? DenialReason.MISSING_TENANT_CONTEXT : DenialReason.CROSS_TENANT_QUERY,
              );
            }
            throw error;
          }
        },
      },
    },
  });
}

type ScopedClient = ReturnType<typeof createScopedClient>;

/**
 * Prisma's defaults (wait 2 s for a connection, run 5 s) turn a burst of requests into 500s while the
 * pool is busy; a request should rather queue for a connection. Provisioning writes a dozen rows.
 */
const TRANSACTION_OPTIONS = { timeout: 15_000, maxWait: 10_000 };

/** Switches the transaction to the tenant role and tenant: one round trip, both transaction-local. */
async function enterTenant(tx: { $queryRaw: ScopedClient['$queryRaw'] }, tenantId: string): Promise<void> {
  await tx.$queryRaw`SELECT set_config('role', ${TENANT_DATABASE_ROLE}, true), set_config(${TENANT_SETTING}, ${tenantId}, true)`;
}

/**
 * The tenant part's code text (its values are parameters): starts as a function call, names no
 * query keyword (a table read there would be planned before the switch), and reads the platform row,
 * so PostgreSQL cannot evaluate it while planning, before the switch.
 */
function assertTenantCall(call: Prisma.Sql): void {
  const text = call.strings.join('$');
  const aCall = /^\s*"?[a-z_][a-z0-9_]*"?\s*\(/i.test(text) && !/\b(select|from|with|table|values)\b/i.test(text);
  if (!aCall || !text.includes('platform."')) {
    throw new Error('runFromPlatformAtOnce: the tenant part must be one function call that reads no table itself and reads the platform row');
  }
}

/** What tenant-scoped work receives: the scoped client inside the tenant's transaction. */
export type TenantTransaction = Parameters<Parameters<ScopedClient['$transaction']>[0]>[0];

/**
 * The only way to tenant-owned data (walls 4 and 5 of docs/security.md). `run()` opens a transaction
 * that switches to the non-owner role `app_tenant` and sets `app.current_tenant_id`, both
 * transaction-locally (safe behind a transaction pooler), so row-level security applies even though
 * the pool's own role could bypass it; inside, every query is also scoped by the extension above.
 */
@Injectable()
export class TenantDatabase {
  protected readonly scoped: ScopedClient;

  constructor(
    protected readonly prisma: PrismaService,
    private readonly metrics: MetricsService,
  ) {
    this.scoped = createScopedClient(prisma, metrics);
  }

  /** Runs `work` for the context's tenant; throws (fails closed) when there is none. */
  async run<T>(work: (db: TenantTransaction) => Promise<T>): Promise<T> {
    const tenantId = this.requireTenant();
    return this.scoped.$transaction(async (tx) => {
      await enterTenant(tx, tenantId);
      return work(tx);
    }, TRANSACTION_OPTIONS);
  }

  /**
   * A hot read in one round trip (tenant-batch-read.ts): the same transaction as run() (role
   * `app_tenant`, the context's tenant, both transaction-local) on the same pool, sent as one
   * message without Prisma. `statements` get the context's tenant as a validated literal and must
   * filter by it; row-level security refuses other tenants' rows even if one does not. Reads only,
   * each on its own connection: not for use inside run().
   */
  async readBatch(statements: TenantStatements): Promise<QueryResult[]> {
    const tenantId = this.requireTenant();
    return runTenantBatch(this.prisma.pool, tenantId, statements);
  }

  /**
   * Platform code paths only (provisioning, lifecycle, tooling), which are explicit and audited:
   * one transaction that starts at platform level, where `platform` may write global tables (tenants,
   * users, memberships) and names the tenant, then continues as that tenant exactly as run() does.
   * Tenant-owned models are still refused inside `platform`: no tenant is in context yet.
   */
  async runFromPlatform<P extends { tenantId: string }, T>(
    platform: (tx: TenantTransaction) => Promise<P>,
    work: (db: TenantTransaction, prepared: P) => Promise<T>,
  ): Promise<T> {
    return this.scoped.$transaction(async (tx) => {
      const prepared = await TenantContext.runAs({ principal: SYSTEM_PRINCIPAL, tenantId: null, operatorOverride: false }, () => platform(tx));
      await enterTenant(tx, prepared.tenantId);
      return TenantContext.runAs({ principal: SYSTEM_PRINCIPAL, tenantId: prepared.tenantId, operatorOverride: false }, () => work(tx, prepared));
    }, TRANSACTION_OPTIONS);
  }

  /**
   * runFromPlatform() in ONE statement, for provisioning (src/provisioning/provisioning.repository.ts):
   * one round trip, and, being one statement, one transaction: a failure anywhere keeps nothing.
   * - `platform` is a FROM item evaluated at platform level (it may write global tables) that yields
   *   exactly one row, with the new tenant's id in column "tenantId". It must raise otherwise: a
   *   wrong count is seen here only after the statement has committed.
   * - The statement then enters that tenant as run() does: role app_tenant and app.current_tenant_id,
   *   both transaction-local, so they end with the statement (also behind a transaction pooler).
   * - Only then is `tenantCall` evaluated: one call of a VOLATILE PL/pgSQL function, SECURITY INVOKER
   *   (a schema test holds every function to that), whose arguments are bound values and the platform
   *   row's columns (`platform."<column>"`). Its statements are planned and run when it runs, as
   *   app_tenant, under row-level security. The statement itself is planned before the switch, as
   *   the pool's role: a table read in it would not be filtered, and a call that reads nothing of the
   *   platform row could be evaluated while planning. So `tenantCall` must read the platform row and
   *   name no query keyword (checked below), and a SQL-language function will not do.
   * The order is PostgreSQL's, not chance: each level is computed from the row of the level below;
   * the volatile set_config calls and OFFSET 0 each keep the planner from merging the levels; and a
   * PL/pgSQL set-returning function completes before its first row is read.
   */
  async runFromPlatformAtOnce<T>(platform: Prisma.Sql, tenantCall: Prisma.Sql): Promise<{ platform: Record<string, unknown>; tenant: T }> {
    assertTenantCall(tenantCall);
    const rows = await this.scoped.$queryRaw<Array<Record<string, unknown> & { tenantResult: T }>>`
      SELECT platform.*, ${tenantCall} AS "tenantResult"
      FROM (
        SELECT entering.*, set_config('role', ${TENANT_DATABASE_ROLE}, true) AS "enteredRole",
               set_config(${TENANT_SETTING}, entering."tenantId"::text, true) AS "enteredTenant"
        FROM (${platform}) AS entering
        OFFSET 0
      ) AS platform`;
    // The platform part broke its contract; the statement has committed by now, whatever it wrote.
    if (rows.length !== 1) throw new Error(`runFromPlatformAtOnce: the platform part yielded ${rows.length} rows and raised no error; check what it committed`);
    const { tenantResult, enteredRole: _role, enteredTenant: _tenant, ...platformRow } = rows[0];
    return { platform: platformRow, tenant: tenantResult };
  }

  protected requireTenant(): string {
    try {
      return TenantContext.requireTenantId();
    } catch (error) {
      this.metrics.isolationDenied(DenialReason.MISSING_TENANT_CONTEXT);
      throw error;
    }
  }
}
