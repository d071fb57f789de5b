// The service as `npm start` runs it (mode "full"), or the same service with the row-level-security
// transaction switched off (mode "rls-off"): tenant-owned queries are still scoped by the Prisma
// extension, but run on the pool's own connection, with no BEGIN / SET LOCAL ROLE / set_config.
// Only the benchmark builds the second one; the application has no switch for it.
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
  }
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(TenantDatabase)
    .useClass(WithoutRlsTransaction)
    .compile();
  return moduleRef.createNestApplication(createHttpAdapter(), { bodyParser: false, bufferLogs: true });
}

const mode = process.argv[2];
if (!['full', 'rls-off'].includes(mode)) throw new Error('usage: app-server.js full|rls-off');
(mode === 'full' ? createApp() : createWithoutRlsTransaction()).then(serve).catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
