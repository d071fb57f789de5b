import { AppError } from '../common/errors/app-error';

export enum AuditErrorCode {
  /** The `cursor` was not one this API returned. */
  INVALID_CURSOR = 'INVALID_CURSOR',
}

export class AuditError extends AppError<AuditErrorCode> {}
