'use strict';
// Throwaway PostgreSQL databases for the benchmarks: created on BENCH_DATABASE_URL's server (default
// the local one), migrated with the compiled MigrationRunner, dropped WITH (FORCE) at the end.

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

async function withClient(url, work) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withAdmin(work) {
  return withClient(ADMIN_URL, work);
}

function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `bench_<prefix>_<random>`, migrated by `dist` (the compiled service). Returns { name, url, drop }. */
async function createMigratedDatabase(prefix, dist) {
  const name = `bench_${prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const drop = () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  try {
    const { MigrationRunner } = require(path.join(dist, 'database', 'migrations', 'migration-runner.js'));
    await new MigrationRunner({ databaseUrl: databaseUrl(name) }).apply();
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url: databaseUrl(name), drop };
}

/** A new empty database `<prefix>_<random>`; `drop()` removes it (connections included). */
async function createDatabase(prefix) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  return { name, url: databaseUrl(name), drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)) };
}

module.exports = { ADMIN_URL, withAdmin, withClient, databaseUrl, createDatabase, createMigratedDatabase };
