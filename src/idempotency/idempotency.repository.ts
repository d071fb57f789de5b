import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { TenantDatabase } from '../tenancy/tenant-database.service';
import type { IdempotencyRecord, IdempotencyRecords } from './idempotency-records';

const RECORD = { id: true, fingerprint: true, state: true, lockedUntil: true, expiresAt: true, responseStatus: true, responseKeyId: true, response: true } as const;
const CLEARED = { state: 'IN_PROGRESS', responseStatus: null, responseKeyId: null, response: null } as const;

/**
 * The two key stores. A tenant's keys are tenant-owned (row-level security; each call its own
 * committed transaction through TenantDatabase, so the in-progress marker is visible to concurrent
 * requests before the handler runs). Signup's keys are global: there is no tenant yet.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(
    private readonly database: TenantDatabase,
    private readonly prisma: PrismaService,
  ) {}

  forTenant(): IdempotencyRecords {
    const run = this.database.run.bind(this.database);
    return {
      insert: async (key, row) => (await run((db) => db.idempotencyKey.createManyAndReturn({ data: [{ key, ...row } as never], skipDuplicates: true, select: { id: true } })))[0]?.id ?? null,
      find: (key) => run((db) => db.idempotencyKey.findFirst({ where: { key }, select: RECORD })),
      takeOver: async (record, row) =>
        (await run((db) => db.idempotencyKey.updateMany({ where: guard(record), data: { ...row, ...CLEARED } }))).count === 1,
      complete: async (id, responseStatus, responseKeyId, response) => {
        await run((db) => db.idempotencyKey.updateMany({ where: { id, state: 'IN_PROGRESS' }, data: { state: 'COMPLETED', responseStatus, responseKeyId, response } }));
      },
      release: async (id) => {
        await run((db) => db.idempotencyKey.deleteMany({ where: { id, state: 'IN_PROGRESS' } }));
      },
    };
  }

  forSignup(emailHash: string): IdempotencyRecords {
    const table = this.prisma.signupIdempotencyKey;
    return {
      insert: async (key, row) => (await table.createManyAndReturn({ data: [{ key, emailHash, ...row }], skipDuplicates: true, select: { id: true } }))[0]?.id ?? null,
      find: (key) => table.findFirst({ where: { key, emailHash }, select: RECORD }),
      takeOver: async (record, row) => (await table.updateMany({ where: guard(record), data: { ...row, ...CLEARED } })).count === 1,
      complete: async (id, responseStatus, responseKeyId, response) => {
        await table.updateMany({ where: { id, state: 'IN_PROGRESS' }, data: { state: 'COMPLETED', responseStatus, responseKeyId, response } });
      },
      release: async (id) => {
        await table.deleteMany({ where: { id, state: 'IN_PROGRESS' } });
      },
    };
  }

  /** Expired keys of every tenant and of signup. A platform path (the pool's role, across tenants). */
  async purgeExpired(now = new Date()): Promise<{ tenantKeys: number; signupKeys: number }> {
    const [tenantKeys, signupKeys] = await Promise.all([
      this.prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } }),
      this.prisma.signupIdempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } }),
    ]);
    return { tenantKeys: tenantKeys.count, signupKeys: signupKeys.count };
  }
}

/** The row exactly as this caller saw it: a concurrent take-over or completion makes the update miss. */
function guard(record: IdempotencyRecord) {
  return { id: record.id, state: record.state, lockedUntil: record.lockedUntil, expiresAt: record.expiresAt };
}
