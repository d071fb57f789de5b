'use strict';
// The compiled service as a child process, started the way `npm start` starts it (same Node flags),
// ready once GET /api/v1/health/ready answers 200. Children still running are killed on exit.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { sleep } = require('./stats');

const ROOT = path.resolve(__dirname, '..', '..');
/** The Node flags `npm start` runs the service with, so a benchmark measures what production runs. */
const START_FLAGS = require(path.join(ROOT, 'package.json')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts `<dist>/main.js` with env (undefined values are removed); resolves { name, port, url, child, stderr() }. */
async function startService(name, env, dist = path.join(ROOT, 'dist')) {
  const port = await freePort();
  const childEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [...START_FLAGS, path.join(dist, 'main.js')], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
  const server = { name, port, url: `http://127.0.0.1:${port}`, child, stderr: () => stderr };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${stderr}`);
    const ok = await fetch(`${server.url}/api/v1/health/ready`).then((response) => response.ok, () => false);
    if (ok) return server;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready:\n${stderr}`);
}

async function stopService(server) {
  if (!server || !children.has(server.child)) return;
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
  }
  children.delete(server.child);
}

/** Peak resident memory of a server so far (VmHWM), in MB; Linux only, else null. */
function peakRssMb(server) {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** For a SIGINT handler: no server outlives the benchmark. */
function killAll() {
  for (const child of children) child.kill('SIGKILL');
}

module.exports = { ROOT, START_FLAGS, freePort, killAll, peakRssMb, startService, stopService };
