import { uniqueFields } from '../common/errors/error-response';
import { Prisma } from '../generated/prisma/client';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';

const CONFLICTS: Record<string, { code: ProvisioningErrorCode; message: string }> = {
  slug: { code: ProvisioningErrorCode.TENANT_SLUG_TAKEN, message: 'This slug is already taken' },
  email: { code: ProvisioningErrorCode.EMAIL_TAKEN, message: 'This email is already registered' },
  domain: { code: ProvisioningErrorCode.DOMAIN_TAKEN, message: 'This domain belongs to another tenant' },
  phoneNumberId: { code: ProvisioningErrorCode.PHONE_NUMBER_ID_TAKEN, message: 'This phone number id belongs to another tenant' },
  genesysIntegrationId: { code: ProvisioningErrorCode.GENESYS_INTEGRATION_ID_TAKEN, message: 'This Genesys integration id belongs to another tenant' },
};

/**
 * A unique violation on a tenant's (or its new owner's) unique field, as the 409 that names it.
 * Races end here too: of two requests for one slug, the loser's INSERT is this error, never a 500.
 */
export function conflictFromUniqueViolation(error: unknown): ProvisioningError | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || !isUniqueViolation(error)) return undefined;
  const field = uniqueFields(error).find((name) => name in CONFLICTS);
  if (!field) return undefined;
  const { code, message } = CONFLICTS[field];
  return new ProvisioningError(code, message, [{ field, message: 'already taken' }]);
}

/** P2002 from a model query; a raw query's (provisioning writes by raw SQL) is P2010 naming the same cause. */
function isUniqueViolation(error: Prisma.PrismaClientKnownRequestError): boolean {
  if (error.code === 'P2002') return true;
  const cause = (error.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError?.cause;
  return error.code === 'P2010' && cause?.kind === 'UniqueConstraintViolation';
}
