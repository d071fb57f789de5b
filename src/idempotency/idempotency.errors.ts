import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';

export enum IdempotencyErrorCode {
  /** `Idempotency-Key` must be 1-255 printable ASCII characters. */
  INVALID_IDEMPOTENCY_KEY = 'INVALID_IDEMPOTENCY_KEY',
  /** The key was used with a different request (method, path or body). */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this key is still running: retry later. */
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
}

/** Each code's HTTP status, read by common/errors/error-status.ts. */
export const IDEMPOTENCY_ERROR_STATUS: Readonly<Record<IdempotencyErrorCode, number>> = {
  [IdempotencyErrorCode.INVALID_IDEMPOTENCY_KEY]: HttpStatus.BAD_REQUEST,
  [IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_USE]: HttpStatus.CONFLICT,
};

export class IdempotencyError extends AppError<IdempotencyErrorCode> {}
