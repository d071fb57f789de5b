// The floor: Fastify and `pg` answering the same lists with the same SQL the service's Prisma path
// sends (list, then count), for one fixed tenant, with no framework, authentication, ORM or
// transaction.
'use strict';

const fastify = require('fastify')({ logger: false });
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const tenantId = process.env.BENCH_TENANT_ID;
const LIST_KEYS = `SELECT "id", "publicId", "name", "scopes", "lastUsedAt", "expiresAt", "revokedAt", "createdAt"
  FROM "public"."api_keys" WHERE "tenantId" = $1 ORDER BY "createdAt" DESC, "id" DESC LIMIT $2 OFFSET $3`;
const COUNT_KEYS = `SELECT COUNT(*)::int AS total FROM "public"."api_keys" WHERE "tenantId" = $1`;
const LIST_PACKAGES = `SELECT "id", "segmentId", "slug", "name", "description", "basePrice", "bookingType", "groupingOrder", "active", "createdAt", "updatedAt"
  FROM "public"."packages" WHERE "tenantId" = $1 ORDER BY "groupingOrder" ASC, "createdAt" ASC, "id" ASC LIMIT $2 OFFSET $3`;
const COUNT_PACKAGES = `SELECT COUNT(*)::int AS total FROM "public"."packages" WHERE "tenantId" = $1`;

function page(list, count) {
  return async () => {
    const [items, total] = await Promise.all([pool.query(list, [tenantId, 20, 0]), pool.query(count, [tenantId])]);
    return { items: items.rows, total: total.rows[0].total, limit: 20, offset: 0 };
  };
}

fastify.get('/api/v1/api-keys', page(LIST_KEYS, COUNT_KEYS));
fastify.get('/api/v1/packages', page(LIST_PACKAGES, COUNT_PACKAGES));
fastify.get('/api/v1/health/ready', async () => ({ status: 'ok' }));

fastify.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' }).catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => fastify.close().then(() => pool.end()).then(() => process.exit(0)));
