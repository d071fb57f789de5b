import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { open, seal } from '../common/crypto/sealed-box';
import { AppConfig } from '../config/app-config';
import { Keyring } from '../config/keyring';
import type { IdempotencyRecords } from './idempotency-records';
import { IdempotencyError, IdempotencyErrorCode } from './idempotency.errors';

/** One key store plus the additional data its sealed answers are bound to. */
export interface IdempotencyScope {
  records: IdempotencyRecords;
  /** e.g. `idempotency|<tenantId>`: an answer copied to another scope's row does not open. */
  aad: string;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Begin = { kind: 'run'; id: string } | { kind: 'replay'; answer: StoredAnswer };

/** Take-over races (two requests after an expiry) are retried this often before answering IN_USE. */
const MAX_ATTEMPTS = 3;

/**
 * Idempotency keys, after Stripe's semantics. begin() commits an IN_PROGRESS marker (INSERT … ON
 * CONFLICT DO NOTHING, its own transaction) before the handler runs, so of concurrent requests with
 * one key exactly one runs; the others see the marker (409 IN_USE) or, once it completed, the stored
 * answer (replay). The same key with another request is 422. A marker whose request crashed is taken
 * over after IDEMPOTENCY_LOCK_SECONDS; an expired key (IDEMPOTENCY_TTL_SECONDS) starts afresh.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly keyring: Keyring,
  ) {}

  static fingerprint(method: string, url: string, body: unknown): string {
    return createHash('sha256').update(JSON.stringify([method, url, body ?? null])).digest('hex');
  }

  async begin(scope: IdempotencyScope, key: string, fingerprint: string): Promise<Begin> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const fresh = this.freshRow(fingerprint);
      const id = await scope.records.insert(key, fresh);
      if (id) return { kind: 'run', id };
      const record = await scope.records.find(key);
      if (!record) continue; // purged between the two statements: insert again
      const now = Date.now();
      if (record.expiresAt.getTime() <= now) {
        if (await scope.records.takeOver(record, fresh)) return { kind: 'run', id: record.id };
        continue;
      }
      if (record.fingerprint !== fingerprint) {
        throw new IdempotencyError(IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used with a different request');
      }
      if (record.state === 'COMPLETED') return { kind: 'replay', answer: this.unseal(scope, key, record.responseKeyId!, record.response!) };
      if (record.lockedUntil.getTime() > now) break;
      // The first request never finished (its server died): this one runs in its place.
      if (await scope.records.takeOver(record, { ...fresh, expiresAt: record.expiresAt })) {
        this.logger.warn({ idempotencyKeyId: record.id }, 'took over an idempotency key whose request never finished');
        return { kind: 'run', id: record.id };
      }
    }
    throw new IdempotencyError(IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_USE, 'A request with this Idempotency-Key is still in progress; retry later');
  }

  async complete(scope: IdempotencyScope, key: string, id: string, answer: StoredAnswer): Promise<void> {
    const sealed = seal(this.keyring, JSON.stringify(answer), `${scope.aad}|${key}`);
    await scope.records.complete(id, answer.status, sealed.keyId, new Uint8Array(sealed.sealed));
  }

  /** Frees the key for a retry: the answer was not one to keep (see UNSTORED_ERROR_CODES). */
  async release(scope: IdempotencyScope, id: string): Promise<void> {
    await scope.records.release(id);
  }

  private freshRow(fingerprint: string) {
    const now = Date.now();
    return {
      fingerprint,
      lockedUntil: new Date(now + this.config.IDEMPOTENCY_LOCK_SECONDS * 1000),
      expiresAt: new Date(now + this.config.IDEMPOTENCY_TTL_SECONDS * 1000),
    };
  }

  private unseal(scope: IdempotencyScope, key: string, keyId: string, sealed: Uint8Array): StoredAnswer {
    return JSON.parse(open(this.keyring, { keyId, sealed: Buffer.from(sealed) }, `${scope.aad}|${key}`).toString('utf8')) as StoredAnswer;
  }
}
