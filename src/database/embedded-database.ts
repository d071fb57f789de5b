import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The data directory's claim: who holds it and, once it serves, where (loopback, no password). */
export interface EmbeddedLock {
  pid: number;
  url: string | null;
}

const LOCK_FILE = 'embedded.lock';

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

  /**
   * `dataDir` persists the database on disk; without it the database lives in memory. The address is
   * published in the lock file, so local tools can reach a running server's database
   * (`EmbeddedDatabase.holder`) instead of opening the directory a second time.
   */
  static async start(dataDir?: string): Promise<EmbeddedDatabase> {
    const lockFile = dataDir ? claimDataDir(dataDir) : null;
    try {
      const db = await PGlite.create(dataDir ?? 'memory://');
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
      await server.start();
      const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
      if (lockFile) writeLock(lockFile, { pid: process.pid, url });
      return new EmbeddedDatabase(db, server, url, lockFile);
    } catch (error) {
      if (lockFile) rmSync(lockFile, { force: true });
      throw error;
    }
  }

  /** The live process holding `dataDir`, and its address once published; null when none does. */
  static holder(dataDir: string): EmbeddedLock | null {
    const lock = readLock(join(dataDir, LOCK_FILE));
    return lock && lock.pid !== process.pid && isAlive(lock.pid) ? lock : null;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}

/** Thrown when another live process holds the data directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: EmbeddedLock,
  ) {
    super(`The embedded database at ${dataDir} is in use by process ${holder.pid}; stop it first.`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * Two processes opening one PGlite data directory would corrupt it (there is no postmaster to
 * arbitrate), so the directory is claimed with a lock file; a stale claim (dead pid) is taken over.
 * The file is JSON (`{ pid, url }`, mode 0600); a bare pid, as older versions wrote, is read too.
 */
function claimDataDir(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, LOCK_FILE);
  const claim = JSON.stringify({ pid: process.pid, url: null } satisfies EmbeddedLock);
  try {
    writeFileSync(lockFile, claim, { flag: 'wx', mode: 0o600 });
  } catch {
    const holder = readLock(lockFile);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirInUseError(dataDir, holder);
    writeLock(lockFile, { pid: process.pid, url: null });
  }
  return lockFile;
}

/** Replaced in one rename, so a reader never sees half a file. */
function writeLock(lockFile: string, lock: EmbeddedLock): void {
  const next = `${lockFile}.${process.pid}.tmp`;
  writeFileSync(next, JSON.stringify(lock), { mode: 0o600 });
  renameSync(next, lockFile);
}

function readLock(lockFile: string): EmbeddedLock | null {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), url: null };
  try {
    const parsed = JSON.parse(text) as Partial<EmbeddedLock>;
    return { pid: Number(parsed.pid), url: typeof parsed.url === 'string' ? parsed.url : null };
  } catch {
    return null; // unreadable: treated as stale
  }
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
