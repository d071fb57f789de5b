import { TenancyError, TenancyErrorCode } from './tenancy.errors';

type Args = Record<string, unknown>;

const FILTERED = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'delete',
  'deleteMany',
]);
const UPDATES = new Set(['update', 'updateMany', 'updateManyAndReturn']);
const CREATES = new Set(['create', 'createMany', 'createManyAndReturn']);

/**
 * Wall 4 (docs/security.md): the arguments of one Prisma operation on a tenant-owned model, bound to
 * `tenantId`. Every filter gets `tenantId`, every created row gets it, and any explicit mention of
 * another tenant (or of the `tenant` relation, which could name one) is refused rather than
 * overwritten, since it is either a bug or an attack. Unknown operations are refused: fails closed.
 */
export function scopeTenantArgs(operation: string, args: Args | undefined, tenantId: string): Args {
  const input = args ?? {};
  if (FILTERED.has(operation)) return { ...input, where: scopeWhere(input.where, tenantId) };
  if (UPDATES.has(operation)) return { ...input, where: scopeWhere(input.where, tenantId), data: checkUpdate(input.data, tenantId) };
  if (CREATES.has(operation)) {
    const data = Array.isArray(input.data) ? input.data.map((row) => scopeCreate(row, tenantId)) : scopeCreate(input.data, tenantId);
    return { ...input, data };
  }
  if (operation === 'upsert') {
    return {
      ...input,
      where: scopeWhere(input.where, tenantId),
      create: scopeCreate(input.create, tenantId),
      update: checkUpdate(input.update, tenantId),
    };
  }
  throw new TenancyError(TenancyErrorCode.CROSS_TENANT_ACCESS, `Operation ${operation} is not allowed on tenant-owned data`);
}

function scopeWhere(where: unknown, tenantId: string): Args {
  const filter = asObject(where, 'where');
  refuseOtherTenant(filter, tenantId);
  // Compound unique selectors (`tenantId_id: { tenantId, id }`) carry a tenantId of their own.
  for (const value of Object.values(filter)) {
    if (isObject(value) && 'tenantId' in value) refuseOtherTenant(value, tenantId);
  }
  return { ...filter, tenantId };
}

function scopeCreate(data: unknown, tenantId: string): Args {
  const row = asObject(data, 'data');
  refuseOtherTenant(row, tenantId);
  return { ...row, tenantId };
}

function checkUpdate(data: unknown, tenantId: string): Args {
  const changes = asObject(data, 'data');
  // Moving a row to another tenant is never a legitimate update.
  refuseOtherTenant(changes, tenantId);
  return changes;
}

function refuseOtherTenant(value: Args, tenantId: string): void {
  if ('tenant' in value) throw crossTenant('the tenant relation cannot be set or filtered; the context decides it');
  if ('tenantId' in value && value.tenantId !== tenantId) throw crossTenant('a query named another tenant');
}

function crossTenant(why: string): TenancyError {
  return new TenancyError(TenancyErrorCode.CROSS_TENANT_ACCESS, `Refused: ${why}`);
}

function asObject(value: unknown, name: string): Args {
  if (value === undefined) return {};
  if (isObject(value)) return value;
  throw new TenancyError(TenancyErrorCode.CROSS_TENANT_ACCESS, `Refused: ${name} must be an object`);
}

function isObject(value: unknown): value is Args {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
