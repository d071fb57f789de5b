import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../tenancy/tenant-database.service';

export interface SealedCredentialRow {
  keyId: string;
  ciphertext: Uint8Array<ArrayBuffer>;
  fingerprint: string;
  last4: string;
}

/** The context tenant's vault rows: every method takes the transaction of TenantDatabase.run(). */
@Injectable()
export class CredentialsRepository {
  find(db: TenantTransaction, type: string) {
    return db.integrationCredential.findFirst({ where: { type } });
  }

  list(db: TenantTransaction) {
    return db.integrationCredential.findMany({ orderBy: { type: 'asc' } });
  }

  create(db: TenantTransaction, type: string, sealed: SealedCredentialRow) {
    return db.integrationCredential.create({ data: { type, ...sealed } as Parameters<TenantTransaction['integrationCredential']['create']>[0]['data'] });
  }

  async replace(db: TenantTransaction, id: string, sealed: SealedCredentialRow, rotatedAt: Date) {
    const [row] = await db.integrationCredential.updateManyAndReturn({ where: { id }, data: { ...sealed, rotatedAt } });
    return row;
  }

  async delete(db: TenantTransaction, type: string): Promise<boolean> {
    const { count } = await db.integrationCredential.deleteMany({ where: { type } });
    return count > 0;
  }
}
