import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ROUTE_RATE_LIMITS_METADATA, type RateLimitName, type RouteRateLimit } from './rate-limit.constants';

/** `#/components/headers/...`, defined once by withRateLimitHeaders() (rate-limit.openapi.ts). */
export const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/**
 * Documents an operation's limits as `x-rate-limit`; withRateLimitHeaders() then gives the operation
 * its 429 answer (the envelope, Retry-After and RateLimit-*) and the RateLimit-* headers on 2xx.
 */
export const ApiRateLimited = (...limits: RateLimitName[]) => ApiExtension('x-rate-limit', limits);

/** The route counts against these limits (RateLimitGuard), and says so in the OpenAPI document. */
export const RateLimit = (...limits: RouteRateLimit[]) => applyDecorators(SetMetadata(ROUTE_RATE_LIMITS_METADATA, limits), ApiRateLimited(...limits));
