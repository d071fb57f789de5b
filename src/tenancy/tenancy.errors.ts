import { AppError } from '../common/errors/app-error';

export enum TenancyErrorCode {
  /** Tenant-owned data was reached with no tenant in context: a bug, refused (fails closed). */
  TENANT_CONTEXT_MISSING = 'TENANT_CONTEXT_MISSING',
  /** A query named a tenant other than the context's. */
  CROSS_TENANT_ACCESS = 'CROSS_TENANT_ACCESS',
  /** The `tenant_sig` cookie is missing on a cookie session, forged, or for another session. */
  TENANT_SIGNATURE_INVALID = 'TENANT_SIGNATURE_INVALID',
  /** The tenant context was set twice in one request. */
  TENANT_CONTEXT_ALREADY_SET = 'TENANT_CONTEXT_ALREADY_SET',
}

export class TenancyError extends AppError<TenancyErrorCode> {}
