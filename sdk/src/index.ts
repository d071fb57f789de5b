// The tenant platform's TypeScript client: openapi-fetch over the types openapi-typescript generates
// from docs/openapi.json (`npm run sdk`), plus what every caller needs around it: credentials, typed
// errors, idempotency keys, pagination. Browser-safe: nothing here imports Node modules.
import type { components } from './schema';

export { createPlatformClient, type CredentialSource, type CredentialsMode, type PlatformClient, type PlatformClientOptions } from './client';
export {
  attempt,
  isPlatformApiError,
  PlatformApiError,
  UNEXPECTED_RESPONSE,
  unwrap,
  type ApiResult,
  type Attempt,
  type CodeOf,
  type DataOf,
  type ErrorCodeOf,
  type ErrorDetail,
  type ErrorEnvelope,
  type OperationErrorCode,
  type PlatformErrorCode,
} from './errors';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, idempotencyKey, OPERATOR_OVERRIDE_HEADER, operatorOverride, wasReplayed } from './headers';
export { paginate, type CursorPage, type OffsetPage, type PageRequest } from './pagination';
export type { components, operations, paths } from './schema';

/** The document's schemas by name: `Schemas['PackageOutput']`. */
export type Schemas = components['schemas'];
