import { Inject, Injectable, Logger } from '@nestjs/common';
import { VERSIONED_CACHE } from '../cache/cache.module';
import type { VersionedCache } from '../cache/versioned-cache';
import { AppConfig } from '../config/app-config';
import { PrismaService } from '../database/prisma.service';
import type { TenantStatus } from '../generated/prisma/enums';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';

/** The fields other services route by (a WhatsApp webhook names its phone number id, ...). */
export const LOOKUP_FIELDS = ['phoneNumberId', 'genesysIntegrationId', 'domain'] as const;
export type LookupField = (typeof LOOKUP_FIELDS)[number];

export interface TenantLookupResult {
  tenantId: string;
  slug: string;
  name: string;
  status: TenantStatus;
}

/** The lookup fields of a tenant row, before or after a change; with `id`, its cached state too. */
export type LookupFields = Partial<Record<LookupField, string | null>> & { id?: string };

/** What authenticating a tenant's API key needs of its tenant (CredentialService). */
export interface TenantState {
  status: TenantStatus;
  rateLimitPerMinute: number | null;
}

/**
 * Finds a tenant by a routing field, cache-aside. Every change to a tenant's lookup fields or
 * status calls invalidate() after it commits, for the old and the new values; the versioned cache
 * guarantees no answer older than that is served. Not-found answers are cached too.
 */
@Injectable()
export class TenantLookupService {
  private readonly logger = new Logger(TenantLookupService.name);

  constructor(
    private readonly prisma: PrismaService,
    @Inject(VERSIONED_CACHE) private readonly cache: VersionedCache,
    private readonly config: AppConfig,
  ) {}

  async lookup(query: LookupFields): Promise<TenantLookupResult | null> {
    const given = LOOKUP_FIELDS.filter((field) => query[field] !== undefined && query[field] !== null);
    if (given.length !== 1) {
      throw new ProvisioningError(ProvisioningErrorCode.INVALID_LOOKUP, `Give exactly one of ${LOOKUP_FIELDS.join(', ')}`);
    }
    const field = given[0];
    const value = normalise(field, query[field]!);
    const key = cacheKey(field, value);

    const cached = await this.cache.read(key).catch((error: unknown) => this.cacheFailed(error, 'read'));
    if (cached?.value !== undefined) return JSON.parse(cached.value) as TenantLookupResult | null;

    const tenant = await this.prisma.tenant.findFirst({
      where: { [field]: value, status: { not: 'DELETED' } },
      select: { id: true, slug: true, name: true, status: true },
    });
    const result = tenant && { tenantId: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status };
    if (cached) {
      await this.cache
        .write(key, cached.version, JSON.stringify(result), this.config.TENANT_LOOKUP_CACHE_TTL_SECONDS)
        .catch((error: unknown) => this.cacheFailed(error, 'write'));
    }
    return result;
  }

  /**
   * The tenant's status and rate limit, cache-aside under the same invalidation as the lookups: every
   * change of either (lifecycle, operator PATCH) passes the tenant row to invalidate() after it
   * commits, so a suspension is refused on the next request on every replica. Saves the API-key path
   * a database round trip per request (docs/benchmarks.md, issue #15).
   */
  async state(tenantId: string, load: () => Promise<TenantState | null>): Promise<TenantState | null> {
    const key = stateKey(tenantId);
    const cached = await this.cache.read(key).catch((error: unknown) => this.cacheFailed(error, 'read'));
    if (cached?.value !== undefined) return JSON.parse(cached.value) as TenantState;
    const state = await load();
    if (state && cached) {
      const stored: TenantState = { status: state.status, rateLimitPerMinute: state.rateLimitPerMinute };
      await this.cache
        .write(key, cached.version, JSON.stringify(stored), this.config.TENANT_LOOKUP_CACHE_TTL_SECONDS)
        .catch((error: unknown) => this.cacheFailed(error, 'write'));
    }
    return state;
  }

  /** After a committed change: every lookup that could have answered with the old row is dropped. */
  async invalidate(...rows: LookupFields[]): Promise<void> {
    const keys = new Set<string>();
    for (const row of rows) {
      if (row.id) keys.add(stateKey(row.id));
      for (const field of LOOKUP_FIELDS) {
        const value = row[field];
        if (value) keys.add(cacheKey(field, normalise(field, value)));
      }
    }
    try {
      await this.cache.invalidate([...keys]);
    } catch (error) {
      // The change is committed; a lookup may be stale for up to the TTL. Loud, because it matters.
      this.logger.error({ err: error, keys: [...keys] }, 'tenant lookup cache invalidation failed');
    }
  }

  private cacheFailed(error: unknown, operation: string): undefined {
    this.logger.warn({ err: error, operation }, 'tenant lookup cache unavailable; answering from the database');
    return undefined;
  }
}

function normalise(field: LookupField, value: string): string {
  return field === 'domain' ? value.toLowerCase() : value;
}

function cacheKey(field: LookupField, value: string): string {
  return `tenant-lookup:${field}:${value}`;
}

function stateKey(tenantId: string): string {
  return `tenant-state:${tenantId}`;
}
