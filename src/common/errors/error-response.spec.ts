import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { HealthError, HealthErrorCode } from '../../health/health.errors';
import { CommonError, CommonErrorCode } from './common.errors';
import { toErrorResponse } from './error-response';

function prismaError(code: string, meta: Record<string, unknown>): Prisma.PrismaClientKnownRequestError {
  return new Prisma.PrismaClientKnownRequestError('driver says something internal', { code, clientVersion: '7', meta });
}

describe('toErrorResponse', () => {
  it('uses the status the code maps to and keeps details', () => {
    const error = new CommonError(CommonErrorCode.VALIDATION_FAILED, 'Request validation failed', [{ field: 'email', message: 'bad' }]);
    expect(toErrorResponse(error)).toEqual({
      status: 400,
      body: { error: 'Request validation failed', code: 'VALIDATION_FAILED', details: [{ field: 'email', message: 'bad' }] },
      unexpected: false,
    });
  });

  it('answers 503 for an unavailable dependency with its own code', () => {
    const response = toErrorResponse(new HealthError(HealthErrorCode.DATABASE_UNAVAILABLE, 'Database is not reachable'));
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('carries Retry-After for errors that say when to try again (rate limits, overload)', () => {
    const limited = toErrorResponse(new CommonError(CommonErrorCode.RATE_LIMITED, 'Too many requests', undefined, { retryAfterSeconds: 42 }));
    expect(limited).toEqual({ status: 429, body: { error: 'Too many requests', code: 'RATE_LIMITED' }, unexpected: false, retryAfterSeconds: 42 });
    expect(toErrorResponse(new CommonError(CommonErrorCode.RATE_LIMITED, 'Too many requests'))).not.toHaveProperty('retryAfterSeconds');
  });

  it('maps a unique violation to 409 naming the columns, from meta.target', () => {
    const response = toErrorResponse(prismaError('P2002', { target: ['slug'] }));
    expect(response).toEqual({
      status: 409,
      body: { error: 'A record with this slug already exists', code: 'UNIQUE_VIOLATION', details: [{ field: 'slug', message: 'already taken' }] },
      unexpected: false,
    });
  });

  it('maps a unique violation from a driver adapter to 409, reading the columns from the index name', () => {
    const meta = { driverAdapterError: { cause: { table: 'packages', constraint: { index: 'packages_tenantId_slug_key' } } } };
    const response = toErrorResponse(prismaError('P2002', meta));
    expect(response.status).toBe(409);
    expect(response.body.details).toEqual([
      { field: 'tenantId', message: 'already taken' },
      { field: 'slug', message: 'already taken' },
    ]);
  });

  it('still answers 409 when the columns cannot be told', () => {
    const response = toErrorResponse(prismaError('P2002', {}));
    expect(response).toEqual({
      status: 409,
      body: { error: 'A record with these values already exists', code: 'UNIQUE_VIOLATION' },
      unexpected: false,
    });
  });

  it('maps record-not-found to 404 and a broken reference to 400', () => {
    expect(toErrorResponse(prismaError('P2025', {})).status).toBe(404);
    expect(toErrorResponse(prismaError('P2003', {})).body.code).toBe('INVALID_REFERENCE');
  });

  it('maps a deadlock or serialization failure (P2034) to 409 CONFLICT, to be retried', () => {
    expect(toErrorResponse(prismaError('P2034', {}))).toEqual({
      status: 409,
      body: { error: 'The request met a concurrent change; send it again', code: 'CONFLICT' },
      unexpected: false,
    });
  });

  it('hides any other Prisma error behind 500 INTERNAL', () => {
    expect(toErrorResponse(prismaError('P2010', {}))).toEqual({
      status: 500,
      body: { error: 'Internal error', code: 'INTERNAL' },
      unexpected: true,
    });
  });

  it('renders an unknown route as 404 NOT_FOUND', () => {
    const response = toErrorResponse(new NotFoundException('Cannot GET /api/v1/nope'));
    expect(response.body).toEqual({ error: 'Route GET /api/v1/nope not found', code: 'NOT_FOUND' });
  });

  it('keeps the code of Fastify body errors that Nest wrapped', () => {
    const cause = Object.assign(new Error('Unexpected token'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    const wrapped = new HttpException('Unexpected token', 400, { cause });
    expect(toErrorResponse(wrapped).body).toEqual({ error: 'Request body is not valid JSON', code: 'INVALID_JSON' });
    const tooLarge = Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect(toErrorResponse(tooLarge).status).toBe(413);
  });

  it('passes HTTP client errors through with a code for their status', () => {
    expect(toErrorResponse(new BadRequestException('nope')).body).toEqual({ error: 'nope', code: 'BAD_REQUEST' });
  });

  it('never leaks the message of an unexpected error or an HTTP 5xx', () => {
    for (const error of [new Error('password=hunter2'), new HttpException('pg at 10.0.0.5 down', 502), 'a string', null]) {
      const response = toErrorResponse(error);
      expect(response).toEqual({ status: 500, body: { error: 'Internal error', code: 'INTERNAL' }, unexpected: true });
    }
  });
});
