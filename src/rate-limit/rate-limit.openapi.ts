import type { OpenAPIObject } from '@nestjs/swagger';
import { RATE_LIMIT_HEADERS } from './rate-limit.constants';
import { headerRef } from './rate-limit.decorators';

const HEADERS = {
  [RATE_LIMIT_HEADERS.limit]: 'Requests allowed in the current window by the limit closest to running out.',
  [RATE_LIMIT_HEADERS.remaining]: 'Requests left in that window (0 once refused).',
  [RATE_LIMIT_HEADERS.reset]: 'Seconds until that window resets (once refused: until the block ends).',
  [RATE_LIMIT_HEADERS.retryAfter]: 'Seconds to wait before retrying.',
};

const LIMIT_HEADERS = [RATE_LIMIT_HEADERS.limit, RATE_LIMIT_HEADERS.remaining, RATE_LIMIT_HEADERS.reset];
/**
 * Every operation that declares `x-rate-limit` (ApiRateLimited) gets the RateLimit-* headers on its
 * 2xx answers (withErrorResponses() gives it the 429 with Retry-After); the headers are defined
 * once under `components.headers`.
 */
export function withRateLimitHeaders(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.headers = {
    ...document.components.headers,
    ...Object.fromEntries(Object.entries(HEADERS).map(([name, description]) => [name, { description, schema: { type: 'integer', minimum: 0 } }])),
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!operation || !(operation as unknown as Record<string, unknown>)['x-rate-limit']) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^2\d\d$/.test(status) || !response || '$ref' in response) continue;
        response.headers = { ...response.headers, ...Object.fromEntries(LIMIT_HEADERS.map((name) => [name, headerRef(name)])) };
      }
    }
  }
  return document;
}
