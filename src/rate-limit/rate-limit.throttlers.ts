import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { normalizeIp, type ThrottlerOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ACCESS_METADATA, type RouteAccess } from '../auth/access.decorators';
import type { AppConfig } from '../config/app-config';
import type { ApiKeyPrincipal, UserPrincipal } from '../tenancy/principal';
import { attachedAccess } from '../tenancy/request-access';
import { HOUR_MS, MINUTE_MS, RateLimitName, ROUTE_RATE_LIMITS_METADATA, type RouteRateLimit } from './rate-limit.constants';

/** Longest email the login DTO accepts; a longer body value is cut before it becomes a tracker. */
const MAX_EMAIL_LENGTH = 320;

/**
 * The client address limits count against: Fastify's `request.ip`, which honours X-Forwarded-For
 * only from the proxies TRUST_PROXY names. IPv6 clients count per /64 (one host often holds a whole
 * /64), as @nestjs/throttler does by default.
 */
export function clientAddress(request: FastifyRequest): string {
  return normalizeIp(request.ip);
}

/** The account a login names, as the service will look it up (lowercased); '' when absent. */
function loginEmail(request: FastifyRequest): string {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH) : '';
}

type TenantPrincipal = UserPrincipal | ApiKeyPrincipal;

/** The tenant a tenant-API request counts against; none for operators reading through the override. */
function tenantCounted(reflector: Reflector, context: ExecutionContext): { tenantId: string; principal: TenantPrincipal } | null {
  const route = reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
  const access = attachedAccess(context.switchToHttp().getRequest<object>());
  if (route?.kind !== 'tenant' || !access?.tenantId || access.operatorOverride) return null;
  const { principal } = access;
  return principal.kind === 'user' || principal.kind === 'api_key' ? { tenantId: access.tenantId, principal } : null;
}

function apiKeyOf(context: ExecutionContext): ApiKeyPrincipal | null {
  const principal = attachedAccess(context.switchToHttp().getRequest<object>())?.principal;
  return principal?.kind === 'api_key' ? principal : null;
}

/**
 * @nestjs/throttler's named throttlers, from configuration. The route limits apply where a handler
 * declares them with @RateLimit(); the tenant and API key limits wherever such a principal calls,
 * which needs AccessGuard to have run first (auth.module.ts registers the two guards in order).
 */
export function rateLimitThrottlers(config: AppConfig, reflector: Reflector): ThrottlerOptions[] {
  const declared = (name: RouteRateLimit) => (context: ExecutionContext) =>
    !(reflector.get<RouteRateLimit[] | undefined>(ROUTE_RATE_LIMITS_METADATA, context.getHandler()) ?? []).includes(name);
  // The library types requests loosely; on this server they are Fastify's.
  const byAddress = (request: object) => clientAddress(request as FastifyRequest);
  return [
    {
      name: RateLimitName.LOGIN_ACCOUNT,
      limit: config.RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE,
      ttl: MINUTE_MS,
      skipIf: declared(RateLimitName.LOGIN_ACCOUNT),
      // Address and account together: an attacker elsewhere cannot lock the owner out.
      getTracker: (request: object) => `${byAddress(request)} ${loginEmail(request as FastifyRequest)}`,
    },
    { name: RateLimitName.LOGIN_IP, limit: config.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE, ttl: MINUTE_MS, skipIf: declared(RateLimitName.LOGIN_IP), getTracker: byAddress },
    { name: RateLimitName.SIGNUP, limit: config.RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR, ttl: HOUR_MS, skipIf: declared(RateLimitName.SIGNUP), getTracker: byAddress },
    { name: RateLimitName.REFRESH, limit: config.RATE_LIMIT_REFRESH_PER_IP_PER_MINUTE, ttl: MINUTE_MS, skipIf: declared(RateLimitName.REFRESH), getTracker: byAddress },
    {
      name: RateLimitName.TENANT,
      // Read from the principal authentication already loaded: no query of its own.
      limit: (context) => tenantCounted(reflector, context)?.principal.tenantRateLimitPerMinute ?? config.RATE_LIMIT_TENANT_PER_MINUTE,
      ttl: MINUTE_MS,
      skipIf: (context) => tenantCounted(reflector, context) === null,
      getTracker: (_request, context) => tenantCounted(reflector, context)!.tenantId,
    },
    {
      name: RateLimitName.API_KEY,
      limit: config.RATE_LIMIT_API_KEY_PER_MINUTE,
      ttl: MINUTE_MS,
      skipIf: (context) => apiKeyOf(context) === null,
      getTracker: (_request, context) => apiKeyOf(context)!.apiKeyId,
    },
  ];
}
