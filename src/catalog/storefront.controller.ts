import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access.decorators';
import { AppConfig } from '../config/app-config';
import { MINUTE_MS, RateLimitName } from '../rate-limit/rate-limit.constants';
import { ApiRateLimited } from '../rate-limit/rate-limit.decorators';
import { clientAddress } from '../rate-limit/rate-limit.throttlers';
import { RateLimiter } from '../rate-limit/rate-limiter.service';
import { TENANT_SLUG_PATTERN } from '../provisioning/tenant-fields';
import { CatalogError, CatalogErrorCode } from './catalog.errors';
import { StorefrontOutput } from './dto/catalog.output';
import { StorefrontService } from './storefront.service';
import { ApiErrors } from '../common/errors/api-errors.decorator';

/** The public storefront: a tenant's active catalog by its slug, with ETag revalidation. */
@ApiTags('storefront')
@Controller('storefront')
export class StorefrontController {
  constructor(
    private readonly storefront: StorefrontService,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  @Get(':slug')
  @Public()
  @ApiErrors(CatalogErrorCode.STOREFRONT_NOT_FOUND)
  @ApiOperation({ operationId: 'getStorefront', summary: "A tenant's name and active segments with their active packages (404 unless the tenant is active)", security: [] })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 while it is current.' })
  @ApiOkResponse({ type: StorefrontOutput, headers: { ETag: { description: 'Entity tag of this storefront version.', schema: { type: 'string' } } } })
  @ApiNotModifiedResponse({ description: 'The storefront has not changed since the ETag sent in If-None-Match.' })
  @ApiRateLimited(RateLimitName.STOREFRONT_MISS)
  async get(
    @Param('slug') slug: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    // Answers from the cache are free; every other request (unknown slugs above all: they are never
    // cached) counts against the client's budget before the database is asked. Once over it, every
    // uncached slug answers 429 alike, so guessing slugs learns nothing more.
    const countMiss = async () =>
      this.limiter.report(reply, [
        await this.limiter.consume(reply, RateLimitName.STOREFRONT_MISS, clientAddress(request), this.config.RATE_LIMIT_STOREFRONT_MISSES_PER_IP_PER_MINUTE, MINUTE_MS),
      ]);
    // Nothing that cannot be a tenant slug reaches the cache or the database.
    if (!TENANT_SLUG_PATTERN.test(slug)) {
      await countMiss();
      throw new CatalogError(CatalogErrorCode.STOREFRONT_NOT_FOUND, 'Storefront not found');
    }
    const document = await this.storefront.get(slug, countMiss);
    // Public and shared, but always revalidated: a catalog change shows on the next request.
    reply.header('etag', document.etag).header('cache-control', 'public, no-cache');
    if (matches(ifNoneMatch, document.etag)) {
      reply.status(304);
      return undefined;
    }
    reply.header('content-type', 'application/json; charset=utf-8');
    return document.body;
  }
}

/** RFC 9110 If-None-Match: `*`, or a list of tags compared weakly (a `W/` prefix is ignored). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
