import { HttpException, HttpStatus, NotFoundException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { Prisma } from '../../generated/prisma/client';
import { pathOf } from '../http/url';
import { AppError, ErrorDetail } from './app-error';
import { CommonErrorCode } from './common.errors';
import { ERROR_STATUS, STATUS_CODE } from './error-status';

/** The body of every 4xx/5xx answer (docs/architecture.md, "Errors"). */
export interface ErrorBody {
  error: string;
  code: string;
  details?: ErrorDetail[];
  requestId: string;
}

export interface ErrorResponse {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
  /** True when the cause is ours (5xx): log it with its stack. */
  unexpected: boolean;
  /** Sent as Retry-After. */
  retryAfterSeconds?: number;
}

/** Fastify's own errors (body parsing and limits) carry a `code` like FST_ERR_CTP_BODY_TOO_LARGE. */
const FASTIFY_ERRORS: Record<string, { code: CommonErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: CommonErrorCode.INVALID_JSON, message: 'Request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: CommonErrorCode.INVALID_JSON,
    message: "Request body is empty but content-type is 'application/json'",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: CommonErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: 'Unsupported content type; send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: CommonErrorCode.BAD_REQUEST, message: 'Invalid content-length' },
  FST_ERR_BAD_URL: { code: CommonErrorCode.BAD_REQUEST, message: 'Malformed URL' },
};

const PASSED_THROUGH_5XX = new Set([HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.GATEWAY_TIMEOUT]);

/**
 * The status and code an AppError with this code is answered with: its ERROR_STATUS, except that
 * our own failures (any 5xx but 502/503/504) are answered as 500 `INTERNAL`. The OpenAPI document
 * lists each declared code under this status, so it says what the filter does.
 */
export function answeredAs(code: string): { status: number; code: string } {
  const status: number = ERROR_STATUS[code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
  if (status >= 500 && !PASSED_THROUGH_5XX.has(status)) return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: CommonErrorCode.INTERNAL };
  return { status, code };
}

/** Turns anything thrown while serving a request into a status and the error envelope. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof AppError) {
    const error = exception as AppError<string>;
    // An upstream's failure (502/504) and our own unavailability (503) are answers, not internals.
    const { status } = answeredAs(error.code);
    if (status === 500) return internal();
    const response = answer(status, error.code, error.message, error.details);
    return error.retryAfterSeconds === undefined ? response : { ...response, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (exception instanceof Prisma.PrismaClientKnownRequestError) {
    const prismaAnswer = fromPrisma(exception);
    if (prismaAnswer) return prismaAnswer;
  }
  const fastifyError = FASTIFY_ERRORS[fastifyCodeOf(exception) ?? ''];
  if (fastifyError) return answer(ERROR_STATUS[fastifyError.code], fastifyError.code, fastifyError.message);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) return internal();
    return answer(status, STATUS_CODE[status] ?? CommonErrorCode.BAD_REQUEST, httpMessage(exception));
  }
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (fastifyCodeOf(exception) && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    // Another client error of the HTTP server's own: its status, and a message that echoes nothing.
    return answer(statusCode, STATUS_CODE[statusCode] ?? CommonErrorCode.BAD_REQUEST, STATUS_CODES[statusCode] ?? 'Bad Request');
  }
  return internal();
}

/** Nest wraps Fastify's client errors in an HttpException whose cause is the original. */
function fastifyCodeOf(exception: unknown): string | undefined {
  const error = exception instanceof HttpException ? exception.cause : exception;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

function fromPrisma(error: Prisma.PrismaClientKnownRequestError): ErrorResponse | undefined {
  switch (error.code) {
    case 'P2002': {
      const fields = uniqueFields(error);
      return answer(
        HttpStatus.CONFLICT,
        CommonErrorCode.UNIQUE_VIOLATION,
        fields.length ? `A record with this ${fields.join(', ')} already exists` : 'A record with these values already exists',
        fields.map((field) => ({ field, message: 'already taken' })),
      );
    }
    case 'P2025':
      return answer(HttpStatus.NOT_FOUND, CommonErrorCode.NOT_FOUND, 'Record not found');
    case 'P2003':
      return answer(HttpStatus.BAD_REQUEST, CommonErrorCode.INVALID_REFERENCE, 'A referenced record does not exist');
    case 'P2034':
      // A deadlock or serialization failure (40P01, 40001): the request met a concurrent one and
      // may simply be sent again. Known orderings are locked to avoid them (CatalogService.deleteSegment).
      return answer(HttpStatus.CONFLICT, CommonErrorCode.CONFLICT, 'The request met a concurrent change; send it again');
    default:
      return undefined;
  }
}

/**
 * The colliding columns: Prisma's `meta.target`, or with driver adapters the constraint's fields or,
 * failing those, its index name. Prisma names unique indexes `<table>_<col>_<col>_key` and our
 * columns are camelCase, so the name splits back into columns.
 */
export function uniqueFields(error: Prisma.PrismaClientKnownRequestError): string[] {
  const meta = error.meta as
    | {
        target?: unknown;
        driverAdapterError?: { cause?: { table?: unknown; constraint?: { fields?: unknown; index?: unknown } } };
      }
    | undefined;
  const cause = meta?.driverAdapterError?.cause;
  const listed = [meta?.target, cause?.constraint?.fields].find((value): value is string[] => Array.isArray(value));
  if (listed) return listed;
  const index = cause?.constraint?.index;
  const table = cause?.table;
  if (typeof index !== 'string' || typeof table !== 'string') return [];
  const match = new RegExp(`^${table}_(.+)_key$`).exec(index);
  return match ? match[1].split('_') : [];
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  const message = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  if (exception instanceof NotFoundException && typeof message === 'string' && message.startsWith('Cannot ')) {
    // The query string stays out: it may carry secrets, and answers should not echo input.
    return `Route ${pathOf(message.slice('Cannot '.length))} not found`;
  }
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' && message ? message : exception.message;
}

function answer(status: number, code: string, error: string, details?: ErrorDetail[]): ErrorResponse {
  return { status, body: details?.length ? { error, code, details } : { error, code }, unexpected: false };
}

/** Never leaks the cause: the log has it, under the same request id. */
function internal(): ErrorResponse {
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: 'Internal error', code: CommonErrorCode.INTERNAL },
    unexpected: true,
  };
}
