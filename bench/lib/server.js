// The service as `npm start` runs it (dist/main.js with the start script's Node flags), one process
// per call, on a free loopback port; ready once /api/v1/health/ready answers.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const START_FLAGS = require(path.join(ROOT, 'package.json')).scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
const live = new Set();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts dist/main.js with `env` over this process's environment (undefined unsets a variable). */
async function startServer(name, env, { timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const childEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [...START_FLAGS, path.join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${stderr}`);
    if (await fetch(`${url}/api/v1/health/ready`).then((r) => r.ok, () => false)) return { name, url, child };
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready:\n${stderr}`);
}

async function stopServer(server) {
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  live.delete(server.child);
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
  for (const child of live) child.kill('SIGKILL');
}

module.exports = { ROOT, killAll, peakRssMb, sleep, startServer, stopServer };
