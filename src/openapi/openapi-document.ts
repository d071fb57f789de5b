import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ACCESS_TOKEN_COOKIE } from '../auth/auth.constants';
import { API_TITLE, API_VERSION } from '../common/constants';
import { ErrorOutput } from '../common/dto/error.output';
import { withIdempotencyKeys } from '../idempotency/idempotency-openapi';
import { withRateLimitHeaders } from '../rate-limit/rate-limit.openapi';
import { withErrorResponses } from './error-responses';

const DESCRIPTION = [
  'Backend of a booking SaaS: tenants are created, isolated and run here.',
  '',
  'Every 4xx/5xx answer is an `ErrorOutput` envelope carrying a stable `code` and the `requestId`',
  'that is also returned in the `x-request-id` header.',
].join('\n');

/** The OpenAPI document, generated from the controllers and DTOs, with keys sorted for stable diffs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(API_TITLE)
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (JWT) from /auth/login, or an API key secret (sk_…)' })
    .addCookieAuth(ACCESS_TOKEN_COOKIE, { type: 'apiKey', in: 'cookie', description: 'Browser sessions; needs the tenant_sig cookie too' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorOutput] });
  return sortKeys(withErrorResponses(withRateLimitHeaders(withIdempotencyKeys(document))));
}

/** Objects get their keys in alphabetical order; arrays keep theirs (their order means something). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}

export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
