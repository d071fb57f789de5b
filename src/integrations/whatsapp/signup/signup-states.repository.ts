import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../../generated/prisma/client';
import type { TenantTransaction } from '../../../tenancy/tenant-database.service';

/** The context tenant's started embedded signups (transactions of TenantDatabase). */
@Injectable()
export class SignupStatesRepository {
  async create(db: TenantTransaction, row: { id: string; userId: string; expiresAt: Date }): Promise<void> {
    // The scoped client adds tenantId; createMany is a plain INSERT (nothing to read back).
    await db.whatsAppSignupState.createMany({ data: [row as Prisma.WhatsAppSignupStateCreateManyInput] });
  }

  find(db: TenantTransaction, id: string) {
    return db.whatsAppSignupState.findFirst({ where: { id } });
  }

  /**
   * Marks the state used, if it still is unused and unexpired: a compare-and-set, so of two
   * completions racing with one state exactly one commits (the other waits on the row, then finds
   * it used).
   */
  async consume(db: TenantTransaction, id: string, now: Date): Promise<boolean> {
    const { count } = await db.whatsAppSignupState.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    return count === 1;
  }

  /** Expired states are of no use to anyone: dropped whenever the tenant starts a new signup. */
  async deleteExpired(db: TenantTransaction, now: Date): Promise<void> {
    await db.whatsAppSignupState.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
