/** One entry of an error's `details`: usually the field at fault and what is wrong with it. */
export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * Base of every error a service throws on purpose. Each module subclasses it with its own code enum
 * (`CatalogError` with `SEGMENT_NOT_FOUND`, ...); error-status.ts maps codes to HTTP statuses and
 * AllExceptionsFilter renders the envelope. Services never throw HTTP exceptions.
 */
export abstract class AppError<Code extends string = string> extends Error {
  /** When the client may try again (rate limits, overload): the answer's Retry-After, in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: Code,
    message: string,
    readonly details?: ErrorDetail[],
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
