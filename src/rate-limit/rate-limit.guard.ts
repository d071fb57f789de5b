import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_METADATA, type RouteAccess } from '../auth/access.decorators';
import { attachedAccess } from '../tenancy/request-access';
import type { RateLimitName } from './rate-limit.constants';
import { RateLimiter, type LimitOutcome } from './rate-limiter.service';

/**
 * @nestjs/throttler's guard, resolving the throttlers of rate-limit.throttlers.ts for each request
 * (skips, limits, trackers), with two changes: each hit goes through RateLimiter, so a refusal is
 * the error envelope with code RATE_LIMITED and is counted in /metrics; and one set of IETF
 * RateLimit-* headers describes the limit closest to running out (the library writes one set per
 * throttler, suffixed with its name, which is not the draft's format).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly outcomes = new WeakMap<object, LimitOutcome[]>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    // Tenant and key limits read the principal: running before AccessGuard would skip them silently.
    if (route?.kind !== 'public' && !attachedAccess(request)) throw new Error('RateLimitGuard ran before AccessGuard attached the request access');
    const outcomes: LimitOutcome[] = [];
    this.outcomes.set(request, outcomes);
    await super.canActivate(context);
    this.limiter.report(context.switchToHttp().getResponse<FastifyReply>(), outcomes);
    return true;
  }

  protected override async handleRequest({ context, limit, ttl, throttler, blockDuration, getTracker }: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const tracker = await getTracker(req, context);
    const outcome = await this.limiter.consume(res as FastifyReply, throttler.name as RateLimitName, tracker, limit, ttl, blockDuration);
    this.outcomes.get(req)?.push(outcome);
    return true;
  }
}
