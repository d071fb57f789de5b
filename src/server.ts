import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootstrap } from './bootstrap';
import { AppConfig } from './config/app-config';
import { describeConfig } from './config/validate-config';
import { DatabaseEndpoint } from './database/database-endpoint';

const logger = new Logger('Main');

/** Bootstraps `app`, listens on HOST:PORT and stops gracefully on SIGTERM/SIGINT. */
export async function serve(app: NestFastifyApplication): Promise<void> {
  await bootstrap(app);
  const config = app.get(AppConfig);
  await app.listen({ port: config.PORT, host: config.HOST });
  const database = app.get(DatabaseEndpoint);
  // The embedded database's loopback address (passwordless), so a person can psql it while it runs.
  const embedded = database.isEmbedded ? `; embedded database at ${database.url}` : '';
  logger.log({ config: describeConfig(config) }, `listening on ${await app.getUrl()} (API under /api/v1, docs at /docs${embedded})`);
  stopOnSignals(app, config.SHUTDOWN_TIMEOUT_MS);
}

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close pools and exit 0. Past
 * the timeout the process exits 1 so an orchestrator sees that requests were cut off. (Nest's
 * enableShutdownHooks re-raises the signal after closing, which makes the exit status non-zero.)
 */
function stopOnSignals(app: NestFastifyApplication, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining in-flight requests (up to ${timeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms; exiting with requests cut off`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => {
        logger.log('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
