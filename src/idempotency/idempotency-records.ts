import type { IdempotencyState } from '../generated/prisma/enums';

export interface IdempotencyRecord {
  id: string;
  fingerprint: string;
  state: IdempotencyState;
  lockedUntil: Date;
  expiresAt: Date;
  responseStatus: number | null;
  responseKeyId: string | null;
  response: Uint8Array | null;
}

export interface NewRecord {
  fingerprint: string;
  lockedUntil: Date;
  expiresAt: Date;
}

/** Where one scope's keys live (a tenant's table, or the signup table); each call commits on its own. */
export interface IdempotencyRecords {
  /** INSERT … ON CONFLICT DO NOTHING: the new row's id, or null when the key exists. */
  insert(key: string, row: NewRecord): Promise<string | null>;
  find(key: string): Promise<IdempotencyRecord | null>;
  /** Conditional update (compare-and-set on `updatedAt`'s stand-ins): true when this caller won. */
  takeOver(record: IdempotencyRecord, row: NewRecord): Promise<boolean>;
  complete(id: string, status: number, keyId: string, sealed: Uint8Array<ArrayBuffer>): Promise<void>;
  release(id: string): Promise<void>;
}
