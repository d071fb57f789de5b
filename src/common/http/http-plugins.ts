import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AppConfig } from '../../config/app-config';
import { CONSOLE_PATH, OPENAPI_UI_PATH } from '../constants';
import { pathOf } from './url';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, HSTS_MAX_AGE_SECONDS } from './http.constants';

/**
 * The API answers JSON only: nothing it serves may run script, load anything, or be framed.
 * helmet's other headers (nosniff, no referrer, same-origin opener and resource policies...) apply
 * to every response as shipped.
 */
const API_CSP = { 'default-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"] };

/**
 * Swagger UI at /docs: its HTML loads its scripts from /docs (no inline script), has inline
 * `<style>` blocks and SVG/data: images, and calls the API on the same origin ("Try it out").
 * test/e2e/security-headers.e2e.spec.ts checks the served page against this policy.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const DOCS_PREFIX = `/${OPENAPI_UI_PATH}`;

/**
 * The admin console at /console: Vite's build is module scripts and one stylesheet from /console (no
 * inline script or style), calls the API on the same origin, and sets styles only through the DOM
 * (allowed without 'unsafe-inline'). test/browser checks the pages run under it.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONSOLE_PREFIX = `/${CONSOLE_PATH}`;

/**
 * helmet, the library @fastify/helmet wraps, resolved through @fastify/helmet (so exactly the
 * version it depends on). Why not the plugin itself: it builds helmet's middleware anew on every
 * request, which measured ~10 MB more resident memory after 1000 requests (docs/benchmarks.md,
 * "Security plugins"), past the start-up budget; built once, helmet costs nothing measurable.
 */
const helmet = createRequire(require.resolve('@fastify/helmet'))('helmet') as (options: Readonly<HelmetOptions>) => (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: Error) => void,
) => void;

/**
 * Fastify plugins every instance runs, registered (and loaded: `await`) before the routes exist so
 * their hooks cover all of them: cookies, security headers, CORS. bootstrap() calls it first.
 */
export async function registerHttpPlugins(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(fastifyCookie);

  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // As frame-ancestors 'none', for browsers that only read the older header.
    frameguard: { action: 'deny' },
    // HSTS pins browsers to HTTPS for a year: only where TLS is certain (behind the production proxy).
    // Elsewhere it would lock a developer's http://localhost out of other local servers.
    strictTransportSecurity: config.NODE_ENV === 'production' ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
  });
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error) => {
      if (error) return done(error);
      // helmet writes on the raw response; a reply header of the same name wins at send time.
      const path = pathOf(request.url);
      if (path === DOCS_PREFIX || path.startsWith(`${DOCS_PREFIX}/`)) void reply.header('content-security-policy', DOCS_CSP);
      else if (path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`)) void reply.header('content-security-policy', CONSOLE_CSP);
      done();
    });
  });

  // Only listed origins get CORS headers (credentials included); any other origin gets none, and its
  // preflight falls through to the 404 envelope, so the browser refuses the cross-origin call.
  const allowed = new Set(config.corsOrigins);
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
    // The plugin's strict mode answers a malformed preflight in plain text; ours stays in the envelope.
    strictPreflight: false,
  });
}
