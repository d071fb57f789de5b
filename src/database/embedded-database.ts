import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port so the application talks to
 * it exactly as to a real server (pg wire protocol, @prisma/adapter-pg). PGlite runs one connection's
 * work at a time, so clients of it should keep their pools small.
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    /** Connection string for clients on this machine. */
    readonly url: string,
    private readonly lockFile: string | null,
  ) {}

  /** `dataDir` persists the database on disk; without it the database lives in memory. */
  static async start(dataDir?: string): Promise<EmbeddedDatabase> {
    const lockFile = dataDir ? lockDataDir(dataDir) : null;
    const db = await PGlite.create(dataDir ?? 'memory://');
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    const address = server.getServerConn();
    return new EmbeddedDatabase(db, server, `postgresql://postgres@${address}/postgres?sslmode=disable`, lockFile);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}

/**
 * Two processes opening one PGlite data directory would corrupt it (there is no postmaster to
 * arbitrate), so the directory is claimed with a pid file; a stale claim (dead pid) is taken over.
 */
function lockDataDir(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'embedded.lock');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder !== process.pid && isAlive(holder)) {
      throw new Error(`The embedded database at ${dataDir} is in use by process ${holder}; stop it first.`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return lockFile;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
