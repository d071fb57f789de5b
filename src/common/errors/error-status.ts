import { HttpStatus } from '@nestjs/common';
import { AuthErrorCode } from '../../auth/auth.errors';
import { AgentErrorCode } from '../../agent/agent.errors';
import { AuditErrorCode } from '../../audit/audit.errors';
import { CatalogErrorCode } from '../../catalog/catalog.errors';
import { HealthErrorCode } from '../../health/health.errors';
import { INTEGRATIONS_ERROR_STATUS } from '../../integrations/integrations.errors';
import { IDEMPOTENCY_ERROR_STATUS } from '../../idempotency/idempotency.errors';
import { ProvisioningErrorCode } from '../../provisioning/provisioning.errors';
import { TenancyErrorCode } from '../../tenancy/tenancy.errors';
import { CommonErrorCode } from './common.errors';

/** The one place an error code becomes an HTTP status. A code missing here answers 500. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  [CommonErrorCode.VALIDATION_FAILED]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.INVALID_JSON]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.BAD_REQUEST]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [CommonErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [CommonErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CommonErrorCode.METHOD_NOT_ALLOWED]: HttpStatus.METHOD_NOT_ALLOWED,
  [CommonErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [CommonErrorCode.UNIQUE_VIOLATION]: HttpStatus.CONFLICT,
  [CommonErrorCode.INVALID_REFERENCE]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [CommonErrorCode.UNSUPPORTED_MEDIA_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [CommonErrorCode.HEADERS_TOO_LARGE]: 431,
  [CommonErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [CommonErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
  [CommonErrorCode.SERVICE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [HealthErrorCode.DATABASE_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [HealthErrorCode.DATABASE_ROLE_INSUFFICIENT]: HttpStatus.SERVICE_UNAVAILABLE,
  [AuthErrorCode.INVALID_CREDENTIALS]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.REFRESH_TOKEN_INVALID]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.MEMBERSHIP_REQUIRED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.OPERATOR_OVERRIDE_READ_ONLY]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.OVERRIDE_TENANT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.ROUTE_ACCESS_UNDECLARED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.API_KEY_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AuthErrorCode.TENANT_SUSPENDED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.TENANT_UNAVAILABLE]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.WEAK_PASSWORD]: HttpStatus.BAD_REQUEST,
  [AuthErrorCode.AUTH_BUSY]: HttpStatus.SERVICE_UNAVAILABLE,
  [AuthErrorCode.CSRF_ORIGIN_REFUSED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.HUMAN_CONFIRMATION_REQUIRED]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.API_KEY_SCOPE_NOT_HELD]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.WILDCARD_KEY_PEOPLE_ONLY]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.API_KEY_OUTLIVES_CREATOR]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.UNKNOWN_SCOPE]: HttpStatus.BAD_REQUEST,
  [ProvisioningErrorCode.TENANT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ProvisioningErrorCode.TENANT_SLUG_TAKEN]: HttpStatus.CONFLICT,
  [ProvisioningErrorCode.EMAIL_TAKEN]: HttpStatus.CONFLICT,
  [ProvisioningErrorCode.DOMAIN_TAKEN]: HttpStatus.CONFLICT,
  [ProvisioningErrorCode.PHONE_NUMBER_ID_TAKEN]: HttpStatus.CONFLICT,
  [ProvisioningErrorCode.GENESYS_INTEGRATION_ID_TAKEN]: HttpStatus.CONFLICT,
  [ProvisioningErrorCode.INVALID_TRANSITION]: HttpStatus.CONFLICT,
  [ProvisioningErrorCode.INVALID_TENANT_FIELD]: HttpStatus.BAD_REQUEST,
  [ProvisioningErrorCode.INVALID_LOOKUP]: HttpStatus.BAD_REQUEST,
  [ProvisioningErrorCode.PROVISIONING_FAILED]: HttpStatus.SERVICE_UNAVAILABLE,
  [AuditErrorCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
  [AgentErrorCode.TOOL_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AgentErrorCode.INVALID_TOOL_INPUT]: HttpStatus.BAD_REQUEST,
  [AgentErrorCode.MISSING_FIELD]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AgentErrorCode.PROPOSAL_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AgentErrorCode.PROPOSAL_ALREADY_DECIDED]: HttpStatus.CONFLICT,
  [AgentErrorCode.PROPOSAL_EXPIRED]: HttpStatus.GONE,
  [AgentErrorCode.MCP_BATCH_TOO_LARGE]: HttpStatus.TOO_MANY_REQUESTS,
  [AgentErrorCode.PENDING_PROPOSALS_LIMIT]: HttpStatus.CONFLICT,
  [CatalogErrorCode.SEGMENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CatalogErrorCode.PACKAGE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CatalogErrorCode.STOREFRONT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CatalogErrorCode.SEGMENT_SLUG_TAKEN]: HttpStatus.CONFLICT,
  [CatalogErrorCode.PACKAGE_SLUG_TAKEN]: HttpStatus.CONFLICT,
  [CatalogErrorCode.GENERAL_SEGMENT_PROTECTED]: HttpStatus.CONFLICT,
  [CatalogErrorCode.SEGMENT_NOT_EMPTY]: HttpStatus.CONFLICT,
  [CatalogErrorCode.LAST_PACKAGE]: HttpStatus.CONFLICT,
  [CatalogErrorCode.INVALID_MOVE_TARGET]: HttpStatus.BAD_REQUEST,
  [CatalogErrorCode.INVALID_SEGMENT_ORDER]: HttpStatus.BAD_REQUEST,
  // Both mean a bug reached tenant-owned data without (or with another) tenant: refused, logged as 500.
  [TenancyErrorCode.TENANT_CONTEXT_MISSING]: HttpStatus.INTERNAL_SERVER_ERROR,
  [TenancyErrorCode.TENANT_CONTEXT_ALREADY_SET]: HttpStatus.INTERNAL_SERVER_ERROR,
  [TenancyErrorCode.CROSS_TENANT_ACCESS]: HttpStatus.FORBIDDEN,
  [TenancyErrorCode.TENANT_SIGNATURE_INVALID]: HttpStatus.FORBIDDEN,
  ...INTEGRATIONS_ERROR_STATUS,
  ...IDEMPOTENCY_ERROR_STATUS,
};

/** For errors raised outside our services (framework, HTTP server): a code for their status. */
export const STATUS_CODE: Readonly<Record<number, CommonErrorCode>> = {
  400: CommonErrorCode.BAD_REQUEST,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  405: CommonErrorCode.METHOD_NOT_ALLOWED,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  431: CommonErrorCode.HEADERS_TOO_LARGE,
  429: CommonErrorCode.RATE_LIMITED,
  503: CommonErrorCode.SERVICE_UNAVAILABLE,
};
