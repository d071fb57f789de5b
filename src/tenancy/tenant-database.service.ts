import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { MetricsService } from '../metrics/metrics.service';
import { DenialReason, TENANT_DATABASE_ROLE, TENANT_OWNED_MODELS, TENANT_SETTING } from './tenancy.constants';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';
import { TenantContext } from './tenant-context';
import { scopeTenantArgs } from './tenant-scoping';

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

  constructor(prisma: PrismaService, private readonly metrics: MetricsService) {
    this.scoped = createScopedClient(prisma, metrics);
  }

  /** Runs `work` for the context's tenant; throws (fails closed) when there is none. */
  async run<T>(work: (db: TenantTransaction) => Promise<T>): Promise<T> {
    const tenantId = this.requireTenant();
    return this.scoped.$transaction(async (tx) => {
      // One round trip for both settings; set_config(..., true) lasts until the transaction ends.
      await tx.$queryRaw`SELECT set_config('role', ${TENANT_DATABASE_ROLE}, true), set_config(${TENANT_SETTING}, ${tenantId}, true)`;
      return work(tx);
    });
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
