import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ACCESS_TOKEN_COOKIE } from '../auth/auth.constants';
import { API_TITLE, API_VERSION } from '../common/constants';
import { ErrorOutput } from '../common/dto/error.output';
import { withIdempotencyKeys } from '../idempotency/idempotency-openapi';
import { withRateLimitHeaders } from '../rate-limit/rate-limit.openapi';
import { withAccessDocs } from './access-docs';
import { withErrorResponses } from './error-responses';
import { withExamples } from './examples';
import { withInputBounds } from './input-bounds';
import { withValidationConstraints } from './validation-constraints';

const DESCRIPTION = [
  'Backend of a booking SaaS: tenants are created, isolated and run here.',
  '',
  'Every 4xx/5xx answer is an `ErrorOutput` envelope carrying a stable `code` and the `requestId`',
  'that is also returned in the `x-request-id` header.',
].join('\n');

/** Every tag an operation uses, described (a test checks none is missing). */
export const TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'auth', description: 'Signup, login, token refresh, logout and tenant switch; sets the browser session cookies.' },
  { name: 'account', description: "The calling tenant's own profile and settings." },
  { name: 'api-keys', description: "The tenant's API keys (secrets shown once)." },
  { name: 'catalog', description: "The tenant's segments and bookable packages." },
  { name: 'storefront', description: "The public read model of an active tenant's catalog (cached, ETag)." },
  { name: 'agent', description: 'Tools for AI agents (REST and MCP) and the proposals a person confirms.' },
  { name: 'integrations', description: 'The credentials vault, WhatsApp Business (including embedded signup) and Genesys.' },
  { name: 'webhooks', description: "Meta's WhatsApp webhook: subscription check and signed deliveries." },
  { name: 'audit', description: "The tenant's own audit trail." },
  { name: 'platform', description: 'Operators: tenants, their lifecycle and integrations, and the platform audit trail.' },
  { name: 'health', description: 'Liveness and readiness probes.' },
  { name: 'metrics', description: 'Prometheus metrics.' },
];

/** The OpenAPI document, generated from the controllers and DTOs, with keys sorted for stable diffs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(API_TITLE)
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative, so Swagger UI calls the host that served it, wherever this runs (a deployment's host,
    // or `npm start` at http://127.0.0.1:3000): the document cannot know a deployment's address.
    .addServer('/', 'This server: the host this document is served from (production deployment or local development, `npm start` on http://127.0.0.1:3000)')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT or API key',
      description:
        'An access token from /auth/login (a JWT, HS256, 15 minutes, checked per RFC 8725: algorithm, audience, issuer, expiry), or an API key secret (`sk_…`).',
    })
    .addCookieAuth(ACCESS_TOKEN_COOKIE, { type: 'apiKey', in: 'cookie', description: 'Browser sessions; needs the tenant_sig cookie too' })
    .build();
  config.tags = [...TAGS];
  // The API is for customers' clients, not an internal one (OWASP API9: declare each server's audience).
  Object.assign(config.servers![0], { 'x-internal': false });
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorOutput] });
  return sortKeys(withExamples(withAccessDocs(withErrorResponses(withRateLimitHeaders(withIdempotencyKeys(withInputBounds(withValidationConstraints(app, document))))))));
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
