import { AppError } from '../common/errors/app-error';

export enum HealthErrorCode {
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** Reachable, but the role cannot run tenant-scoped work (TenantRoleCheck); the log says why. */
  DATABASE_ROLE_INSUFFICIENT = 'DATABASE_ROLE_INSUFFICIENT',
}

export class HealthError extends AppError<HealthErrorCode> {}
