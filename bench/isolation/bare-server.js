// The floor: Fastify and `pg` answering the same list with the same SQL the service sends, for one
// fixed tenant, with no framework, authentication, ORM or transaction.
'use strict';

const fastify = require('fastify')({ logger: false });
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const tenantId = process.env.BENCH_TENANT_ID;
const LIST = `SELECT "id", "publicId", "name", "scopes", "lastUsedAt", "expiresAt", "revokedAt", "createdAt"
  FROM "public"."api_keys" WHERE "tenantId" = $1 ORDER BY "createdAt" DESC, "id" DESC LIMIT $2 OFFSET $3`;
const COUNT = `SELECT COUNT(*)::int AS total FROM "public"."api_keys" WHERE "tenantId" = $1`;

fastify.get('/api/v1/api-keys', async () => {
  const [items, count] = await Promise.all([pool.query(LIST, [tenantId, 20, 0]), pool.query(COUNT, [tenantId])]);
  return { items: items.rows, total: count.rows[0].total, limit: 20, offset: 0 };
});
fastify.get('/api/v1/health/ready', async () => ({ status: 'ok' }));

fastify.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' }).catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => fastify.close().then(() => pool.end()).then(() => process.exit(0)));
