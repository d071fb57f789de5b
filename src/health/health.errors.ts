import { AppError } from '../common/errors/app-error';

export enum HealthErrorCode {
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
}

export class HealthError extends AppError<HealthErrorCode> {}
