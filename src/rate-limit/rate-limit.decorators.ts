import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorOutput } from '../common/dto/error.output';
import { RATE_LIMIT_HEADERS, ROUTE_RATE_LIMITS_METADATA, type RateLimitName, type RouteRateLimit } from './rate-limit.constants';

/** `#/components/headers/...`, defined once by withRateLimitHeaders() (rate-limit.openapi.ts). */
export const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/**
 * Documents an operation's limits as `x-rate-limit`; withRateLimitHeaders() then gives the operation
 * its 429 answer (the envelope, Retry-After and RateLimit-*) and the RateLimit-* headers on 2xx.
 */
export const ApiRateLimited = (...limits: RateLimitName[]) => ApiExtension('x-rate-limit', limits);

/** The route counts against these limits (RateLimitGuard), and says so in the OpenAPI document. */
export const RateLimit = (...limits: RouteRateLimit[]) => applyDecorators(SetMetadata(ROUTE_RATE_LIMITS_METADATA, limits), ApiRateLimited(...limits));

/** Operations that check a password: 503 `AUTH_BUSY` when the hashing queue is full. */
export const ApiPasswordHashing = () =>
  ApiServiceUnavailableResponse({
    description: 'Too many password checks in progress: `AUTH_BUSY`; retry after `Retry-After` seconds.',
    type: ErrorOutput,
    headers: { [RATE_LIMIT_HEADERS.retryAfter]: headerRef(RATE_LIMIT_HEADERS.retryAfter) },
  });
