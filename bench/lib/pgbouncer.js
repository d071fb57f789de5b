'use strict';
// Debian's pgbouncer (`apt-get install pgbouncer`) in transaction pooling mode in front of one
// database, on a free loopback port, as test/support/pgbouncer.ts starts it for the PgBouncer suite.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./server');
const { sleep } = require('./stats');

const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Resolves { url, stop() }: `url` is targetUrl's database through PgBouncer. */
async function startPgBouncer(targetUrl, { poolSize }) {
  const binary = CANDIDATES.find((candidate) => fs.existsSync(candidate));
  if (!binary) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const target = new URL(targetUrl);
  const database = target.pathname.slice(1);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pgbouncer-'));
  fs.chmodSync(dir, 0o777); // it drops root privileges (-u) and then still writes its log here
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${decodeURIComponent(target.username)}" ""\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${database} = host=${target.hostname} port=${target.port || 5432} dbname=${database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 500',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      // node-postgres sends these start-up parameters; PgBouncer would refuse the connection otherwise.
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root; as root it drops to the database's OS user.
  const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  const child = spawn(binary, [...asRoot, path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  process.on('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`pgbouncer did not start: ${stderr}`);
    }
    await sleep(50);
  }
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startPgBouncer };
