import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { AppConfig } from '../config/app-config';
import { PrismaClient } from '../generated/prisma/client';
import { DatabaseEndpoint } from './database-endpoint';

/** PGlite serves one connection's work at a time; more pooled connections would only queue. */
const EMBEDDED_POOL_SIZE = 1;

/** The one Prisma client of the process (driver adapter over `pg`, no native engine). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  constructor(endpoint: DatabaseEndpoint, config: AppConfig) {
    super({
      adapter: new PrismaPg({
        connectionString: endpoint.url,
        max: endpoint.isEmbedded ? EMBEDDED_POOL_SIZE : config.DATABASE_POOL_SIZE,
        connectionTimeoutMillis: 5_000,
      }),
    });
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
  }
}
