import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { IDEMPOTENCY_METADATA } from './idempotency.constants';

/**
 * How a route takes `Idempotency-Key` beyond the default (every POST and PATCH of a tenant
 * principal, keyed per tenant): `email` keys a public route by the key and its body's email (signup);
 * `none` opts out (a handler that writes the raw response itself, which cannot be stored).
 */
export type IdempotencyMode = 'email' | 'none';

export const Idempotency = (mode: IdempotencyMode) => applyDecorators(SetMetadata(IDEMPOTENCY_METADATA, mode), ApiExtension('x-idempotency', mode));
