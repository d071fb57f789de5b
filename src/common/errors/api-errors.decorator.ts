import { ApiExtension } from '@nestjs/swagger';

/** Where an operation's declared codes wait in the document until withErrorResponses() turns them into responses. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/**
 * The error codes a handler (its service, its pipes) can answer with, from the modules' typed
 * enums: `@ApiErrors(CatalogErrorCode.SEGMENT_NOT_FOUND)`. The codes of the layers every request
 * crosses (authentication, validation, input limits, rate limits, idempotency, 500) are added by
 * src/openapi/error-responses.ts from the route's metadata; list here only what this handler adds.
 * Each code is documented under the status error-status.ts gives it, so the two cannot disagree.
 */
export const ApiErrors = (...codes: string[]) => ApiExtension(ERROR_CODES_EXTENSION, codes);
