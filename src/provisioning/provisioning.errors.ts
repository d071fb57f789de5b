import { AppError } from '../common/errors/app-error';

export enum ProvisioningErrorCode {
  /** No such tenant (or, for a tenant's own routes, not yours). */
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  TENANT_SLUG_TAKEN = 'TENANT_SLUG_TAKEN',
  /** The tenant's contact email, or at signup the user's email, is already in use. */
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  DOMAIN_TAKEN = 'DOMAIN_TAKEN',
  PHONE_NUMBER_ID_TAKEN = 'PHONE_NUMBER_ID_TAKEN',
  GENESYS_INTEGRATION_ID_TAKEN = 'GENESYS_INTEGRATION_ID_TAKEN',
  /** The lifecycle does not allow this transition from the tenant's current status. */
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** A tenant field failed a rule beyond the DTO's (reserved slug, unknown time zone...). */
  INVALID_TENANT_FIELD = 'INVALID_TENANT_FIELD',
  /** Tenant lookup needs exactly one of its keys. */
  INVALID_LOOKUP = 'INVALID_LOOKUP',
  /** Provisioning failed for a reason other than the input; nothing was persisted. */
  PROVISIONING_FAILED = 'PROVISIONING_FAILED',
}

export class ProvisioningError extends AppError<ProvisioningErrorCode> {}
