import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { validateConfig } from '../config/validate-config';
import { DataDirInUseError, EmbeddedDatabase } from './embedded-database';

/** How long a tool waits for a starting server to publish its embedded database's address. */
const PUBLISH_WAIT_MS = 15_000;

/** The database the application would use, as opened by a command-line tool. */
export interface AppDatabase {
  url: string;
  /**
   * `external`: DATABASE_URL. `embedded`: the data directory, opened by this process.
   * `server`: the embedded database of the server process that holds the data directory.
   */
  source: 'external' | 'embedded' | 'server';
  /** Stops the embedded database this process opened; leaves the others alone. */
  close(): Promise<void>;
}

/** Reads `.env` from the project root, as the server does; the process environment wins. */
export function loadEnvFile(): void {
  const envFile = join(PROJECT_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
}

/** The configuration a tool run from the project root would share with the server. */
export function loadToolConfig(): AppConfig {
  loadEnvFile();
  return validateConfig(process.env);
}

/**
 * For local tools (db:status, tenants:check-orphans, operators:*): DATABASE_URL when set; else the
 * embedded database under EMBEDDED_DATA_DIR: opened here when no process holds it, or, while
 * `npm start` runs on it, the server's own (its loopback address is in the data directory's lock
 * file), since opening the directory twice would corrupt it.
 */
export async function openAppDatabase(config: AppConfig = loadToolConfig()): Promise<AppDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, source: 'external', close: async () => {} };
  const dataDir = resolve(PROJECT_ROOT, config.EMBEDDED_DATA_DIR);
  const deadline = Date.now() + PUBLISH_WAIT_MS;
  for (;;) {
    try {
      const embedded = await EmbeddedDatabase.start(dataDir);
      return { url: embedded.url, source: 'embedded', close: () => embedded.stop() };
    } catch (error) {
      if (!(error instanceof DataDirInUseError)) throw error;
      const { pid, url } = error.holder;
      if (url) {
        process.stderr.write(`Using the embedded database of the running server (process ${pid}) at ${url}\n`);
        return { url, source: 'server', close: async () => {} };
      }
      // Claimed but not serving yet: the server is starting. Its address follows within seconds.
      if (Date.now() > deadline) {
        throw new Error(`The embedded database at ${dataDir} is held by process ${pid}, which has not published its address; is it still starting?`, {
          cause: error,
        });
      }
      await sleep(200);
    }
  }
}
