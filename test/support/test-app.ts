import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app.module';
import { bootstrap, createHttpAdapter } from '../../src/bootstrap';
import { LOG_DESTINATION } from '../../src/common/logging/logger.options';
import { API_PREFIX } from '../../src/common/constants';
import { AppConfig } from '../../src/config/app-config';
import { validateConfig } from '../../src/config/validate-config';
import { contractRecorder } from './contract-recorder';
import type { OpenApiContract } from './openapi-contract';
import { createTestDatabase, TestDatabase } from './test-database';
import { TEST_RATE_LIMIT_ENV } from './test-environment';

export interface TestAppOptions {
  databaseUrl: string;
  /** Extra environment for the AppConfig, as strings like the real environment. */
  env?: Record<string, string>;
  /** Test-only controllers mounted next to the real ones (e.g. routes that throw on purpose). */
  controllers?: Type[];
  /** Capture log lines instead of discarding them. */
  logs?: LogCapture;
  /** What every answer is checked against (default docs/openapi.json); the checker's own test drifts it. */
  contract?: OpenApiContract;
}

/**
 * The real application (same module, pipes, filters and hooks as main.ts), served by `inject()`.
 * Every answer it sends is checked against the OpenAPI document (test/setup/contract-check.ts).
 */
export async function createTestApp(options: TestAppOptions): Promise<NestFastifyApplication> {
  const config = validateConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: options.logs ? 'debug' : 'silent',
    ...TEST_RATE_LIMIT_ENV,
    ...options.env,
    DATABASE_URL: options.databaseUrl,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule], controllers: options.controllers ?? [] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(LOG_DESTINATION)
    .useValue(options.logs?.stream ?? null)
    .compile();
  const adapter = createHttpAdapter();
  contractRecorder.attach(adapter.getInstance(), { testRoutePrefixes: routePrefixesOf(options.controllers ?? []), contract: options.contract });
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  await bootstrap(app);
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** `/api/v1/test-errors` for `@Controller('test-errors')`: where a test-only controller's routes live. */
function routePrefixesOf(controllers: Type[]): string[] {
  return controllers.flatMap((controller) => {
    const paths = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
    return [paths ?? '/'].flat().map((path) => `/${API_PREFIX}/${path}`.replace(/\/+/g, '/').replace(/\/$/, ''));
  });
}

export interface TestAppHandle {
  readonly app: NestFastifyApplication;
  readonly database: TestDatabase;
}

/**
 * For a suite: before its tests, the real app on a fresh migrated database; after them, both closed.
 * Read `.app` inside tests (it is set once beforeAll has run).
 */
export function useTestApp(options: Omit<TestAppOptions, 'databaseUrl'> = {}): TestAppHandle {
  const handle = {} as { app: NestFastifyApplication; database: TestDatabase };
  beforeAll(async () => {
    handle.database = await createTestDatabase();
    handle.app = await createTestApp({ ...options, databaseUrl: handle.database.url });
  });
  afterAll(async () => {
    await handle.app?.close();
    await handle.database?.drop();
  });
  return handle;
}

/** Collects JSON log lines written by the application. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  get entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  get text(): string {
    return this.lines.join('\n');
  }
}
