import type { Tenant } from '../generated/prisma/client';
import type { TenantOutput, TenantSettingsOutput } from './dto/tenant.output';
import type { AccountOutput } from './dto/account.output';

export type TenantRow = Tenant;

/** The platform (operator) view of a tenant. */
export function toTenantOutput(tenant: TenantRow): TenantOutput {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    email: tenant.email,
    domain: tenant.domain,
    settings: tenant.settings as unknown as TenantSettingsOutput,
    commissionPercent: Number(tenant.commissionPercent),
    phoneNumberId: tenant.phoneNumberId,
    genesysIntegrationId: tenant.genesysIntegrationId,
    status: tenant.status,
    statusReason: tenant.statusReason,
    rateLimitPerMinute: tenant.rateLimitPerMinute,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}

/** The tenant's own view: built field by field, so an operator-only field cannot slip in. */
export function toAccountOutput(tenant: Pick<TenantRow, keyof AccountOutput> | TenantOutput): AccountOutput {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    email: tenant.email,
    domain: tenant.domain,
    settings: tenant.settings as unknown as TenantSettingsOutput,
    status: tenant.status,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}
