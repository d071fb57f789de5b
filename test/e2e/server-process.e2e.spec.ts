import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmptyDatabase, createTestDatabase, TestDatabase } from '../support/test-database';
import { ServerProcess } from '../support/server-process';

const MAIN = 'dist/main.js';
const SLOW_SERVER = 'test/fixtures/slow-server.js';

describe('server process: graceful shutdown', () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    await database?.drop();
  });

  function start(env: Record<string, string> = {}): ServerProcess {
    const server = ServerProcess.start(SLOW_SERVER, { DATABASE_URL: database.url, ...env });
    servers.push(server);
    return server;
  }

  it('on SIGTERM finishes the in-flight request, refuses new work and exits 0', async () => {
    const server = start();
    const url = await server.listening();
    const inFlight = fetch(`${url}/test/slow?ms=3000`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the request is now being served
    server.kill('SIGTERM');
    // Soon after the signal (while the slow request still runs) new work is turned away: a new
    // connection is refused, or a kept-alive one is answered 503.
    let late: number | string = 'not tried';
    for (const deadline = Date.now() + 2_000; Date.now() < deadline; ) {
      late = await fetch(`${url}/api/v1/health/live`).then(
        (response) => response.status,
        () => 'refused',
      );
      if (late !== 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([503, 'refused']).toContain(late);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ slow: 'done' });
    expect(await server.exited).toBe(0);
    expect(server.stdout).toContain('stopped cleanly');
  });

  it('exits 1 when in-flight requests outlast SHUTDOWN_TIMEOUT_MS', async () => {
    const server = start({ SHUTDOWN_TIMEOUT_MS: '300' });
    const url = await server.listening();
    const inFlight = fetch(`${url}/test/slow?ms=5000`).catch(() => 'cut off');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = Date.now();
    server.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(await inFlight).toBe('cut off');
  });
});

describe('server process: start-up', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];

  afterAll(() => {
    for (const server of servers) server.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function start(env: Record<string, string | undefined>): ServerProcess {
    const server = ServerProcess.start(MAIN, env);
    servers.push(server);
    return server;
  }

  it('with no configuration serves from an embedded database it creates, migrates and keeps', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-'));
    dirs.push(dataDir);
    const env = { DATABASE_URL: undefined, EMBEDDED_DATA_DIR: dataDir };

    const first = start(env);
    const url = await first.listening(60_000);
    const ready = await fetch(`${url}/api/v1/health/ready`);
    expect(ready.status).toBe(200);
    expect(first.stdout).toContain('applied migrations:');

    // A second process on the same data directory would corrupt it: refused, and says why.
    const intruder = start(env);
    expect(await intruder.exited).toBe(1);
    expect(intruder.stderr).toContain('in use by process');

    // The schema engine used for the start-up migration arms 10-second timers; released with the
    // engine, they must not fire into it later and crash the server.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect((await fetch(`${url}/api/v1/health/ready`)).status).toBe(200);

    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(env);
    await second.listening(60_000);
    expect(second.stdout).toContain('migrations up to date');
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it('with invalid configuration exits 1 listing every problem, without echoing secrets', async () => {
    const server = start({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://root:hunter2@db/app',
      MIGRATE_ON_START: 'maybe',
    });
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain('Invalid configuration (4 problems)');
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'MIGRATE_ON_START']) expect(server.stderr).toContain(`${name}:`);
    expect(server.stderr + server.stdout).not.toContain('hunter2');
  });

  it('with an unreachable database exits 1 instead of serving', async () => {
    const server = start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain('Start-up failed');
  });

  it('with MIGRATE_ON_START on an empty database migrates it (in a child process), then serves; the next start has nothing to apply', async () => {
    const empty = await createEmptyDatabase();
    try {
      const env = { DATABASE_URL: empty.url, MIGRATE_ON_START: 'true' };
      const first = start(env);
      const url = await first.listening(60_000);
      expect(first.stdout).toContain('applied migrations: 20261123093846_init');
      // Down to the newest migration in the repository, whichever it is now.
      const newest = readdirSync(join(__dirname, '..', '..', 'prisma', 'migrations')).filter((name) => /^\d{14}_\w+$/.test(name)).sort().at(-1);
      expect(first.stdout).toMatch(new RegExp(`${newest} \\(in child process \\d+\\)`));
      expect((await fetch(`${url}/api/v1/health/ready`)).status).toBe(200);
      first.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = start(env);
      await second.listening(60_000);
      expect(second.stdout).toMatch(/migrations up to date \(in child process \d+\)/);
      second.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await empty.drop();
    }
  }, 120_000);

  it('with MIGRATE_ON_START and an unreachable database exits 1 with the migration error instead of serving', async () => {
    const server = start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere', MIGRATE_ON_START: 'true' });
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain('Start-up failed');
    // The child's own error, relayed: not just that it exited.
    expect(server.stderr).toContain("Can't reach database server at `127.0.0.1:1`");
    expect(server.stderr).toContain('(reported by the migration process)');
  });
});
