import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { RateLimitName } from '../rate-limit/rate-limit.constants';
import { DenialReason } from '../tenancy/tenancy.constants';

/**
 * The process's Prometheus metrics. Its own registry (not prom-client's global one), so every
 * application instance (tests start several) counts for itself.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template (never by tenant: unbounded labels)',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly isolationDenials = new Counter({
    name: 'tenant_isolation_denials_total',
    help: 'Requests or queries refused by a tenant-isolation wall, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly rateLimitRejections = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused by a rate limit (429) or by the full password-hashing queue (503), by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every reason and limit is exported from the start (at 0), so alerts can use rate() without gaps.
    for (const reason of Object.values(DenialReason)) this.isolationDenials.inc({ reason }, 0);
    for (const limit of Object.values(RateLimitName)) this.rateLimitRejections.inc({ limit }, 0);
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  isolationDenied(reason: DenialReason): void {
    this.isolationDenials.inc({ reason });
  }

  rateLimited(limit: RateLimitName): void {
    this.rateLimitRejections.inc({ limit });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
