import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { AppConfig } from '../config/app-config';
import { PrismaClient } from '../generated/prisma/client';
import { DatabaseEndpoint } from './database-endpoint';

/** PGlite serves one connection's work at a time; more pooled connections would only queue. */
const EMBEDDED_POOL_SIZE = 1;

/**
 * The one Prisma client of the process (driver adapter over `pg`, no native engine), over the one
 * connection pool of the process: `pool` is the same `pg` pool the adapter uses, for the few hot
 * reads that TenantDatabase.readBatch() sends in one round trip (src/tenancy/tenant-batch-read.ts).
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  readonly pool: Pool;

  constructor(endpoint: DatabaseEndpoint, config: AppConfig) {
    const pool = new Pool({
      connectionString: endpoint.url,
      max: endpoint.isEmbedded ? EMBEDDED_POOL_SIZE : config.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5_000,
    });
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    // An idle connection the server ends (restart, failover, a dropped database) is an 'error' on the
    // pool, which would crash the process without a listener; the pool replaces it on the next use.
    const logger = new Logger(PrismaService.name);
    pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  }

  /** A bad connection string or an unreachable server fails start-up instead of the first request. */
  async onModuleInit(): Promise<void> {
    await this.$connect();
    await this.ping();
  }

  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }

  /** After the HTTP server has drained, so in-flight requests keep their connections. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    // The adapter leaves a pool it was given open; it is ours to end.
    if (!this.pool.ended) await this.pool.end();
  }
}
