// The service as `npm start` runs it (mode "full"); the same service with the row-level-security
// transaction switched off (mode "rls-off"): tenant-owned queries are still scoped (by the Prisma
// extension, or by the statements' own tenant filter on the one-round-trip path), but run on the
// pool's own connection, with no BEGIN / SET LOCAL ROLE / set_config. Switches undo one change of
// issue #15 each: "prisma-lists" reads the list endpoints through Prisma's interactive transaction,
// "no-key-cache" reads every API key from the database. Only the benchmark builds these; the
// application has no switch for them.
'use strict';

require('node:v8').setFlagsFromString('--liftoff-only'); // as src/main.ts does
const path = require('node:path');
const DIST = path.resolve(__dirname, '..', '..', 'dist');
const { createApp, createHttpAdapter } = require(path.join(DIST, 'bootstrap.js'));
const { serve } = require(path.join(DIST, 'server.js'));

async function createWithoutRlsTransaction() {
  const { Test } = require('@nestjs/testing');
  const { AppModule } = require(path.join(DIST, 'app.module.js'));
  const { TenantDatabase } = require(path.join(DIST, 'tenancy', 'tenant-database.service.js'));
  class WithoutRlsTransaction extends TenantDatabase {
    async run(work) {
      this.requireTenant();
      return work(this.scoped);
    }

    /** The same statements in one message, without BEGIN, the role/tenant set_config and COMMIT. */
    async readBatch(statements) {
      const work = statements(Sql.uuid(this.requireTenant()));
      const results = await this.prisma.pool.query(work.map((statement) => statement.text).join(';\n'));
      return work.length === 1 ? [results] : results;
    }
  }
  const { Sql } = require(path.join(DIST, 'tenancy', 'tenant-batch-read.js'));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TenantDatabase)
    .useClass(WithoutRlsTransaction)
    .compile();
  return moduleRef.createNestApplication(createHttpAdapter(), { bodyParser: false, bufferLogs: true });
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

/** Every API-key look-up reads the database, as before #15. */
function withoutKeyCache() {
  const { CredentialCache } = require(path.join(DIST, 'auth', 'credential-cache.service.js'));
  CredentialCache.prototype.apiKey = (_publicId, load) => load();
}

// app-server.js full|rls-off [prisma-lists] [no-key-cache]
const [mode, ...switches] = process.argv.slice(2);
const modes = { full: createApp, 'rls-off': createWithoutRlsTransaction };
const toggles = { 'prisma-lists': usePrismaLists, 'no-key-cache': withoutKeyCache };
if (!modes[mode] || switches.some((name) => !toggles[name])) throw new Error(`usage: app-server.js ${Object.keys(modes).join('|')} [${Object.keys(toggles).join('] [')}]`);
for (const name of switches) toggles[name]();
modes[mode]().then(serve).catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
