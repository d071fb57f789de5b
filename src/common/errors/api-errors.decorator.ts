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

/** Where an operation's JSON-RPC error answers wait until withErrorResponses() adds them. */
export const JSON_RPC_ERRORS_EXTENSION = 'x-json-rpc-errors';

/** One JSON-RPC error answer: its HTTP status and the error the body carries (the example). */
export interface JsonRpcErrorAnswer {
  status: number;
  code: number;
  message: string;
}

/**
 * The answers a JSON-RPC endpoint (MCP) sends in JSON-RPC's own envelope rather than ours: the MCP
 * SDK's transport refuses a request in JSON-RPC terms (`{ jsonrpc, error: { code, message }, id: null }`).
 * Documented under their status, beside the envelope when the layers in front can answer it too.
 */
export const ApiJsonRpcErrors = (...answers: JsonRpcErrorAnswer[]) => ApiExtension(JSON_RPC_ERRORS_EXTENSION, answers);
