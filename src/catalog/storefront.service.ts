import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { VERSIONED_CACHE } from '../cache/cache.module';
import type { VersionedCache } from '../cache/versioned-cache';
import { AppConfig } from '../config/app-config';
import { PrismaService } from '../database/prisma.service';
import { SYSTEM_PRINCIPAL } from '../tenancy/principal';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import { CatalogError, CatalogErrorCode } from './catalog.errors';
import type { StorefrontOutput } from './dto/catalog.output';
import { PackagesRepository } from './packages.repository';
import { SegmentsRepository } from './segments.repository';

/** A storefront ready to send: the JSON body and its entity tag. */
export interface StorefrontDocument {
  etag: string;
  body: string;
}

/**
 * The public read model of a tenant's catalog, cached per tenant slug (versioned cache-aside: see
 * VersionedCache, so an invalidation is never overtaken by a slow reader). Every catalog write calls
 * invalidateTenant() after it commits; tenant changes (name, status) call invalidateSlugs(). Only
 * ACTIVE tenants have a storefront; unknown, suspended and deleted ones answer 404 alike.
 */
@Injectable()
export class StorefrontService {
  private readonly logger = new Logger(StorefrontService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly database: TenantDatabase,
    private readonly segments: SegmentsRepository,
    private readonly packages: PackagesRepository,
    @Inject(VERSIONED_CACHE) private readonly cache: VersionedCache,
    private readonly config: AppConfig,
  ) {}

  /**
   * `beforeDatabase` runs when the cache cannot answer, before the database is asked (the caller's
   * rate limit on misses); if it throws, the database is not asked.
   */
  async get(slug: string, beforeDatabase?: () => Promise<unknown>): Promise<StorefrontDocument> {
    const key = cacheKey(slug);
    const cached = await this.cache.read(key).catch((error: unknown) => this.cacheFailed(error, 'read'));
    if (cached?.value !== undefined) return JSON.parse(cached.value) as StorefrontDocument;
    await beforeDatabase?.();

    const tenant = await this.prisma.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, status: true } });
    if (!tenant || tenant.status !== 'ACTIVE') throw new CatalogError(CatalogErrorCode.STOREFRONT_NOT_FOUND, 'Storefront not found');
    const storefront = await TenantContext.runAs({ principal: SYSTEM_PRINCIPAL, tenantId: tenant.id, operatorOverride: false }, () =>
      this.database.run(async (db) => {
        const segments = await this.segments.listAll(db, { active: true });
        const packages = await this.packages.listActive(db, segments.map((segment) => segment.id));
        return {
          slug: tenant.slug,
          name: tenant.name,
          segments: segments.map((segment) => ({
            id: segment.id,
            slug: segment.slug,
            name: segment.name,
            heroTitle: segment.heroTitle,
            description: segment.description,
            packages: packages
              .filter((item) => item.segmentId === segment.id)
              .map((item) => ({ id: item.id, slug: item.slug, name: item.name, description: item.description, basePrice: item.basePrice, bookingType: item.bookingType })),
          })),
        } satisfies StorefrontOutput;
      }),
    );
    const body = JSON.stringify(storefront);
    const document = { etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`, body };
    if (cached) {
      await this.cache.write(key, cached.version, JSON.stringify(document), this.config.TENANT_LOOKUP_CACHE_TTL_SECONDS).catch((error: unknown) => this.cacheFailed(error, 'write'));
    }
    return document;
  }

  /** After a catalog change of the context's tenant has committed. */
  async invalidateTenant(tenantId: string): Promise<void> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { slug: true } });
    if (tenant) await this.invalidateSlugs(tenant.slug);
  }

  /** After a tenant's name or status changed (committed). */
  async invalidateSlugs(...slugs: string[]): Promise<void> {
    try {
      await this.cache.invalidate([...new Set(slugs)].map(cacheKey));
    } catch (error) {
      // The change is committed; the storefront may be stale for up to the TTL. Loud, because it matters.
      this.logger.error({ err: error, slugs }, 'storefront cache invalidation failed');
    }
  }

  private cacheFailed(error: unknown, operation: string): undefined {
    this.logger.warn({ err: error, operation }, 'storefront cache unavailable; answering from the database');
    return undefined;
  }
}

function cacheKey(slug: string): string {
  return `storefront:${slug}`;
}
