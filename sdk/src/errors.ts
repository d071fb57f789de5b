import type { components, operations } from './schema';

export type ErrorDetail = components['schemas']['ErrorDetailOutput'];

/** `code` of an answer that is not the API's error envelope: a proxy's error page, an empty 502. */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

/** Statuses openapi-fetch treats as success (the rest of an operation's responses are its errors). */
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | '2XX';

/** The JSON bodies an operation's error responses (4xx, 5xx, default) declare. */
type ErrorBodyOf<Operation> = Operation extends { responses: infer Responses }
  ? {
      [Status in keyof Responses]: Status extends SuccessStatus
        ? never
        : Responses[Status] extends { content: { 'application/json': infer Body } }
          ? Body
          : never;
    }[keyof Responses]
  : never;

/** The `code` union of an error body (or union of bodies). */
export type ErrorCodeOf<Body> = Body extends { code: infer Code extends string } ? Code : never;

/** The codes one operation can answer, by operationId: `OperationErrorCode<'createPackage'>`. */
export type OperationErrorCode<Id extends keyof operations> = ErrorCodeOf<ErrorBodyOf<operations[Id]>>;

/** Every code the API document declares. */
export type PlatformErrorCode = OperationErrorCode<keyof operations>;

/** The envelope every 4xx/5xx carries: `{ error, code, details?, requestId }`. */
export interface ErrorEnvelope<Code extends string = PlatformErrorCode> {
  code: Code;
  error: string;
  requestId: string;
  details?: ErrorDetail[];
}

/**
 * A refusal from the API, with the envelope's fields: branch on `code` (typed per operation when it
 * comes from `attempt`), quote `requestId` to support (it is in the server's logs).
 */
export class PlatformApiError<Code extends string = PlatformErrorCode> extends Error {
  override readonly name = 'PlatformApiError';
  readonly code: Code | typeof UNEXPECTED_RESPONSE;
  readonly requestId: string | null;
  readonly details: readonly ErrorDetail[];
  /** Seconds from `Retry-After` (429, some 503), else null. */
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly status: number,
    envelope: ErrorEnvelope<Code> | undefined,
    readonly response: Response,
  ) {
    super(envelope?.error ?? `HTTP ${status} without the API's error envelope`);
    this.code = envelope?.code ?? UNEXPECTED_RESPONSE;
    this.requestId = envelope?.requestId ?? response.headers.get('x-request-id');
    this.details = envelope?.details ?? [];
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    this.retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : null;
  }
}

/** True for a PlatformApiError, and when `code` is given, for one with that code. */
export function isPlatformApiError<Code extends string = PlatformErrorCode>(value: unknown, code?: Code): value is PlatformApiError<Code> {
  return value instanceof PlatformApiError && (code === undefined || value.code === code);
}

/** What every openapi-fetch call resolves to. */
export type ApiResult<Data, Error> =
  | { data: Data; error?: never; response: Response }
  | { data?: never; error: Error; response: Response };

type AnyResult = ApiResult<unknown, unknown>;

/** The data of a call's success (`undefined` for a 204). */
export type DataOf<Result extends AnyResult> = Extract<Result, { data: unknown }>['data'];

/** The error envelope(s) a call's failures declare. */
type EnvelopeOf<Result extends AnyResult> = Extract<Result['error'], ErrorEnvelope<string>>;

/** The codes a call's failures declare: `CodeOf<typeof result>`. */
export type CodeOf<Result extends AnyResult> = EnvelopeOf<Result>['code'];

/** The outcome of `attempt`: the data, or the typed refusal (never both). */
export type Attempt<Data, Code extends string> =
  | { ok: true; data: Data; error?: never; response: Response }
  | { ok: false; data?: never; error: PlatformApiError<Code>; response: Response };

/** openapi-fetch answers `error` undefined for an error without a body, so the status decides too. */
function succeeded<Result extends AnyResult>(result: Result): result is Extract<Result, { data: unknown }> {
  return result.response.ok && result.error === undefined;
}

/** openapi-fetch hands over the parsed body, or its text when it was not JSON: check what came. */
function isEnvelope<Body>(body: Body): body is Extract<Body, ErrorEnvelope<string>> {
  if (typeof body !== 'object' || body === null) return false;
  return 'code' in body && typeof body.code === 'string' && 'error' in body && typeof body.error === 'string';
}

function refusal<Envelope extends ErrorEnvelope<string>>(envelope: Envelope | undefined, response: Response): PlatformApiError<Envelope['code']> {
  return new PlatformApiError(response.status, envelope, response);
}

/**
 * Never throws for an HTTP answer: `{ ok: true, data }`, or `{ ok: false, error }` whose
 * `error.code` is the union of the codes this operation declares.
 */
export async function attempt<Result extends AnyResult>(pending: Promise<Result>): Promise<Attempt<DataOf<Result>, CodeOf<Result>>> {
  const result = await pending;
  if (succeeded(result)) return { ok: true, data: result.data, response: result.response };
  const body = result.error;
  const error = refusal(isEnvelope(body) ? body : undefined, result.response);
  return { ok: false, error, response: result.response };
}

/** The data of a successful call, else throws its PlatformApiError. */
export async function unwrap<Result extends AnyResult>(pending: Promise<Result>): Promise<DataOf<Result>> {
  const outcome = await attempt(pending);
  if (!outcome.ok) throw outcome.error;
  return outcome.data;
}
