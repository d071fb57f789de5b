// The service as `npm start` runs it (mode "full"); the same service with the row-level-security
// transaction switched off (mode "rls-off"): tenant-owned queries are still scoped (by the Prisma
// extension, or by the statements' own tenant filter on the one-round-trip path), but run on the
// pool's own connection, with no BEGIN / SET LOCAL ROLE / set_config. Switches undo one change of
// issue #15 each: "prisma-lists" reads the list endpoints through Prisma's interactive transaction,
// "no-key-cache" reads every API key from the database, "plain-selects" sends the list endpoints'
// SELECTs themselves in the batch (planned on every request) instead of calling the hot-read
// functions, "select-set-config" enters the tenant with `SELECT set_config(...)` instead of SET LOCAL,
// "wildcard-redact" redacts logs with pino's wildcard paths, as before the logging change.
// Mode "alternate" is full and rls-off in one process, switched by the benchmark (see below).
// Only the benchmark builds these; the application has no switch for them.
'use strict';

require('node:v8').setFlagsFromString('--liftoff-only'); // as src/main.ts does
const path = require('node:path');
const DIST = path.resolve(__dirname, '..', '..', 'dist');
const { createApp, createHttpAdapter } = require(path.join(DIST, 'bootstrap.js'));
const { serve } = require(path.join(DIST, 'server.js'));

/**
 * The service with TenantDatabase overridden so that, while `skipRls()` says so, run() and readBatch()
 * skip the row-level-security transaction: the same statements on the pool's own connection.
 */
async function createWithRlsSwitch(skipRls) {
  const { Test } = require('@nestjs/testing');
  const { AppModule } = require(path.join(DIST, 'app.module.js'));
  const { TenantDatabase } = require(path.join(DIST, 'tenancy', 'tenant-database.service.js'));
  const { Sql } = require(path.join(DIST, 'tenancy', 'tenant-batch-read.js'));
  class WithRlsSwitch extends TenantDatabase {
    async run(work) {
      if (!skipRls()) return super.run(work);
      this.requireTenant();
      return work(this.scoped);
    }

    /** Without RLS: the same statements in one message, without the role/tenant SET LOCAL. */
    async readBatch(statements) {
      if (!skipRls()) return super.readBatch(statements);
      const work = statements(Sql.uuid(this.requireTenant()));
      const results = await this.prisma.pool.query(work.map((statement) => statement.text).join(';\n'));
      return work.length === 1 ? [results] : results;
    }
  }
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TenantDatabase)
    .useClass(WithRlsSwitch)
    .compile();
  return moduleRef.createNestApplication(createHttpAdapter(), { bodyParser: false, bufferLogs: true });
}

function createWithoutRlsTransaction() {
  return createWithRlsSwitch(() => true);
}

/**
 * Both in ONE process: full until the parent (bench/isolation/run.js --alternate) sends "rls-off" over
 * the IPC channel, rls-off until it sends "full"; each switch is acknowledged. Comparing the two
 * modes window by window in one process takes out what differs between processes (how each one's heap
 * and JIT settle) and most of the machine's drift, which separate processes cannot.
 */
function createAlternating() {
  let skip = false;
  process.on('message', (mode) => {
    if (mode !== 'full' && mode !== 'rls-off') return;
    skip = mode === 'rls-off';
    process.send({ mode });
  });
  return createWithRlsSwitch(() => skip);
}

/** The list endpoints through Prisma's interactive transaction (list() inside run()), as before #15. */
function usePrismaLists() {
  const { PackagesRepository } = require(path.join(DIST, 'catalog', 'packages.repository.js'));
  const { ApiKeysRepository } = require(path.join(DIST, 'auth', 'api-keys.repository.js'));
  PackagesRepository.prototype.page = function (database, filter, limit, offset) {
    return database.run((db) => this.list(db, filter, limit, offset));
  };
  ApiKeysRepository.prototype.page = function (database, limit, offset) {
    return database.run((db) => this.list(db, limit, offset));
  };
}

/** The list endpoints' batch as the SELECTs themselves, as before the hot-read functions (migration 20261202013000). */
function usePlainSelects() {
  const { PackagesRepository } = require(path.join(DIST, 'catalog', 'packages.repository.js'));
  const { ApiKeysRepository } = require(path.join(DIST, 'auth', 'api-keys.repository.js'));
  const { Sql, sql } = require(path.join(DIST, 'tenancy', 'tenant-batch-read.js'));
  const packageColumns = sql`"tenantId", "id", "segmentId", "slug", "name", "description", "basePrice", "bookingType", "groupingOrder", "active", "createdAt", "updatedAt"`;
  const keyColumns = sql`"id", "publicId", "name", "scopes", "lastUsedAt", "expiresAt", "revokedAt", "createdAt"`;
  PackagesRepository.prototype.page = async function (database, filter, limit, offset) {
    const [items, count] = await database.readBatch((tenant) => {
      const conditions = [sql`"tenantId" = ${tenant}`];
      if (filter.segmentId !== undefined) conditions.push(sql`"segmentId" = ${Sql.uuid(filter.segmentId)}`);
      if (filter.active !== undefined) conditions.push(sql`"active" = ${Sql.boolean(filter.active)}`);
      const where = Sql.join(conditions, ' AND ');
      return [
        sql`SELECT ${packageColumns} FROM "public"."packages" WHERE ${where} ORDER BY "groupingOrder" ASC, "createdAt" ASC, "id" ASC LIMIT ${Sql.integer(limit)} OFFSET ${Sql.integer(offset)}`,
        sql`SELECT COUNT(*)::int AS "total" FROM "public"."packages" WHERE ${where}`,
      ];
    });
    return { items: items.rows, total: count.rows[0].total };
  };
  ApiKeysRepository.prototype.page = async function (database, limit, offset) {
    const [items, count] = await database.readBatch((tenant) => [
      sql`SELECT ${keyColumns} FROM "public"."api_keys" WHERE "tenantId" = ${tenant} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${Sql.integer(limit)} OFFSET ${Sql.integer(offset)}`,
      sql`SELECT COUNT(*)::int AS "total" FROM "public"."api_keys" WHERE "tenantId" = ${tenant}`,
    ]);
    return { items: items.rows, total: count.rows[0].total };
  };
}

/** The batch enters the tenant with `SELECT set_config(role), set_config(tenant)`, as before it used SET LOCAL. */
function useSelectSetConfig() {
  const { TenantDatabase } = require(path.join(DIST, 'tenancy', 'tenant-database.service.js'));
  const { Sql } = require(path.join(DIST, 'tenancy', 'tenant-batch-read.js'));
  const { TENANT_DATABASE_ROLE, TENANT_SETTING } = require(path.join(DIST, 'tenancy', 'tenancy.constants.js'));
  TenantDatabase.prototype.readBatch = async function (statements) {
    const tenantId = this.requireTenant();
    const work = statements(Sql.uuid(tenantId));
    const enter = `SELECT set_config('role', '${TENANT_DATABASE_ROLE}', true), set_config('${TENANT_SETTING}', '${tenantId.toLowerCase()}', true)`;
    const results = await this.prisma.pool.query([enter, ...work.map((statement) => statement.text)].join(';\n'));
    return results.slice(1, 1 + work.length);
  };
}

/** Every API-key look-up reads the database, as before #15. */
function withoutKeyCache() {
  const { CredentialCache } = require(path.join(DIST, 'auth', 'credential-cache.service.js'));
  CredentialCache.prototype.apiKey = (_publicId, load) => load();
}

/** Logs redacted as before the ninth session of #15 (bench/lib/wildcard-redaction.js). */
function useWildcardRedaction() {
  const { withWildcardRedaction } = require('../lib/wildcard-redaction');
  // nestjs-pino calls `pinoHttp` off pino-http's exports when the app starts (the compiled
  // logger.options module's exports are read-only getters, so its function cannot be replaced).
  const httpLogging = require('pino-http');
  const pinoHttp = httpLogging.pinoHttp;
  httpLogging.pinoHttp = (options, ...destination) => pinoHttp(withWildcardRedaction(options), ...destination);
}

// app-server.js full|rls-off|alternate [prisma-lists] [no-key-cache] [plain-selects] [select-set-config] [wildcard-redact]
const [mode, ...switches] = process.argv.slice(2);
const modes = { full: createApp, 'rls-off': createWithoutRlsTransaction, alternate: createAlternating };
const toggles = {
  'prisma-lists': usePrismaLists,
  'no-key-cache': withoutKeyCache,
  'plain-selects': usePlainSelects,
  'select-set-config': useSelectSetConfig,
  'wildcard-redact': useWildcardRedaction,
};
if (!modes[mode] || switches.some((name) => !toggles[name])) throw new Error(`usage: app-server.js ${Object.keys(modes).join('|')} [${Object.keys(toggles).join('] [')}]`);
for (const name of switches) toggles[name]();
modes[mode]().then(serve).catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
