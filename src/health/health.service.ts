import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { LivenessOutput, ReadinessOutput } from './dto/health.output';
import { HealthError, HealthErrorCode } from './health.errors';

/** Bounds the readiness probe: a hung database must answer 503 quickly, not hang the probe. */
const READINESS_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(private readonly prisma: PrismaService) {}

  live(): LivenessOutput {
    return { status: 'ok', timestamp: new Date().toISOString() };
  }

  async ready(): Promise<ReadinessOutput> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.prisma.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn({ err: error }, 'database not reachable');
      throw new HealthError(HealthErrorCode.DATABASE_UNAVAILABLE, 'Database is not reachable');
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ok', database: 'up', timestamp: new Date().toISOString() };
  }
}
