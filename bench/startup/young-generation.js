#!/usr/bin/env node
// Resident memory after 1,000 sequential GET /health/ready (the bench/startup budget), external
// PostgreSQL, without a flag and with --max-semi-space-size=4 and 8 (or the flag sets given, comma-separated,
// `none` for no flag), alternating, 3 rounds. Issue #15 used it to decide that flag; results in
// docs/benchmarks.md. Usage: node bench/startup/young-generation.js [none,--max-semi-space-size=8,...]
'use strict';
const path = require('path'); const { spawn } = require('child_process'); const http = require('http'); const fs = require('fs'); const net = require('net');
const ROOT = path.resolve(__dirname, '..', '..'); const { createMigratedDatabase } = require(ROOT + '/bench/lib/database.js');
const port = () => new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const get = (url, agent) => new Promise((res, rej) => http.get(url, { agent }, (r) => { r.resume(); r.on('end', () => res(r.statusCode)); }).on('error', rej));
(async () => {
  const db = await createMigratedDatabase('young', path.join(ROOT, 'dist'));
  const sets = (process.argv[2] ?? 'none,--max-semi-space-size=4,--max-semi-space-size=8').split(',').map((set) => [set, set === 'none' ? [] : set.split(' ')]);
  const out = Object.fromEntries(sets.map(([name]) => [name, []]));
  try {
    for (let round = 0; round < 3; round++) for (const [name, flags] of sets) {
      const p = await port();
      const child = spawn(process.execPath, [...flags, path.join(ROOT, 'dist/main.js')], { cwd: ROOT, env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', DATABASE_URL: db.url, NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET: require('crypto').randomBytes(32).toString('base64url'), TENANT_COOKIE_SECRET: require('crypto').randomBytes(32).toString('base64url'), CREDENTIALS_KEYS: 'k1:' + require('crypto').randomBytes(32).toString('base64') }, stdio: ['ignore', 'ignore', 'inherit'] });
      const url = `http://127.0.0.1:${p}/api/v1/health/ready`;
      for (let i = 0; i < 1200; i++) { if (await get(url).then((s) => s === 200, () => false)) break; await new Promise((r) => setTimeout(r, 100)); }
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 1000; i++) await get(url, agent);
      agent.destroy();
      const st = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(st)[1]) / 1024, hwm = Number(/VmHWM:\s+(\d+)/.exec(st)[1]) / 1024;
      out[name].push([rss.toFixed(1), hwm.toFixed(1)]);
      console.log(round, name, 'RSS', rss.toFixed(1), 'peak', hwm.toFixed(1));
      child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r));
    }
  } finally { await db.drop(); }
  console.log(JSON.stringify(out));
})();
