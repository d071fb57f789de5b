import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { TenantRoleCheck } from '../tenancy/tenant-role-check.service';
import { LivenessOutput, ReadinessOutput } from './dto/health.output';
import { HealthError, HealthErrorCode } from './health.errors';

/** Bounds the readiness probe: a hung database must answer 503 quickly, not hang the probe. */
const READINESS_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly tenantRole: TenantRoleCheck,
  ) {}

  live(): LivenessOutput {
    return { status: 'ok', timestamp: new Date().toISOString() };
  }

  /** The pool answers, and the role can run tenant-scoped work (cached probe: no query of its own per request). */
  async ready(): Promise<ReadinessOutput> {
    let timer: NodeJS.Timeout | undefined;
    let roleOk: boolean;
    try {
      [, { ok: roleOk }] = await Promise.race([
        Promise.all([this.prisma.ping(), this.tenantRole.status()]),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn({ err: error }, 'database not reachable');
      throw new HealthError(HealthErrorCode.DATABASE_UNAVAILABLE, 'Database is not reachable');
    } finally {
      clearTimeout(timer);
    }
    // Public answer: the details (role names, the SQL to fix it) are in the server log only.
    if (!roleOk) throw new HealthError(HealthErrorCode.DATABASE_ROLE_INSUFFICIENT, 'The database role cannot run tenant-scoped work');
    return { status: 'ok', database: 'up', timestamp: new Date().toISOString() };
  }
}
