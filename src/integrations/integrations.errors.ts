import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';

export enum IntegrationsErrorCode {
  /** `{type}` is a well-formed name that the credential registry does not know (details list the known ones). */
  UNKNOWN_CREDENTIAL_TYPE = 'UNKNOWN_CREDENTIAL_TYPE',
  /** The value breaks its type's rule (the message says which, never the value). */
  INVALID_CREDENTIAL = 'INVALID_CREDENTIAL',
  /** No such credential in the caller's tenant (also for a path that cannot be a type name). */
  CREDENTIAL_NOT_FOUND = 'CREDENTIAL_NOT_FOUND',
  /** A stored value no longer opens (its key left the keyring): an operator must rotate or re-enter it. */
  CREDENTIAL_UNREADABLE = 'CREDENTIAL_UNREADABLE',
  /** Signature missing or wrong on a webhook delivery. */
  WEBHOOK_SIGNATURE_INVALID = 'WEBHOOK_SIGNATURE_INVALID',
  /** The verify token matches neither the platform's nor any tenant's. */
  WEBHOOK_VERIFICATION_FAILED = 'WEBHOOK_VERIFICATION_FAILED',
  /** The platform lacks Meta configuration (META_APP_SECRET / META_APP_ID) this needs. */
  WHATSAPP_NOT_CONFIGURED = 'WHATSAPP_NOT_CONFIGURED',
  SIGNUP_STATE_INVALID = 'SIGNUP_STATE_INVALID',
  SIGNUP_STATE_EXPIRED = 'SIGNUP_STATE_EXPIRED',
  SIGNUP_STATE_USED = 'SIGNUP_STATE_USED',
  /** Meta answered with an error (its message is logged, not returned). */
  GRAPH_API_ERROR = 'GRAPH_API_ERROR',
  GRAPH_API_TIMEOUT = 'GRAPH_API_TIMEOUT',
}

/** Each code's HTTP status, read by common/errors/error-status.ts. */
export const INTEGRATIONS_ERROR_STATUS: Readonly<Record<IntegrationsErrorCode, number>> = {
  [IntegrationsErrorCode.UNKNOWN_CREDENTIAL_TYPE]: HttpStatus.BAD_REQUEST,
  [IntegrationsErrorCode.INVALID_CREDENTIAL]: HttpStatus.BAD_REQUEST,
  [IntegrationsErrorCode.CREDENTIAL_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [IntegrationsErrorCode.CREDENTIAL_UNREADABLE]: HttpStatus.CONFLICT,
  [IntegrationsErrorCode.WEBHOOK_SIGNATURE_INVALID]: HttpStatus.UNAUTHORIZED,
  [IntegrationsErrorCode.WEBHOOK_VERIFICATION_FAILED]: HttpStatus.FORBIDDEN,
  [IntegrationsErrorCode.WHATSAPP_NOT_CONFIGURED]: HttpStatus.SERVICE_UNAVAILABLE,
  [IntegrationsErrorCode.SIGNUP_STATE_INVALID]: HttpStatus.BAD_REQUEST,
  [IntegrationsErrorCode.SIGNUP_STATE_EXPIRED]: HttpStatus.BAD_REQUEST,
  [IntegrationsErrorCode.SIGNUP_STATE_USED]: HttpStatus.CONFLICT,
  [IntegrationsErrorCode.GRAPH_API_ERROR]: HttpStatus.BAD_GATEWAY,
  [IntegrationsErrorCode.GRAPH_API_TIMEOUT]: HttpStatus.GATEWAY_TIMEOUT,
};

export class IntegrationsError extends AppError<IntegrationsErrorCode> {}
