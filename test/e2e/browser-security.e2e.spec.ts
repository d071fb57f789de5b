import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DOCS_CSP } from '../../src/common/http/http-plugins';
import { bearer, cookieHeader, createApiKey, signup } from '../support/identity-fixtures';
import { createTestApp, useTestApp } from '../support/test-app';

const CONSOLE = 'https://console.example.com';
const EVIL = 'https://evil.example';
const ENV = {
  JWT_SECRET: 'browser-suite-jwt-secret-0123456789abcdef',
  TENANT_COOKIE_SECRET: 'browser-suite-cookie-secret-0123456789abc',
  CORS_ORIGINS: `${CONSOLE}, http://localhost:5173`,
};

/** `default-src 'self'; img-src 'self' data:` → { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'] }. */
function parseCsp(header: string): Record<string, string[]> {
  return Object.fromEntries(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** What a browser would check: the directive for this kind of load, else default-src. */
function cspAllows(csp: Record<string, string[]>, directive: string, what: { url?: URL; inline?: boolean; page: URL }): boolean {
  const sources = csp[directive] ?? csp['default-src'] ?? [];
  if (what.inline) return sources.includes("'unsafe-inline'");
  const url = what.url!;
  if (url.protocol === 'data:') return sources.includes('data:');
  return (sources.includes("'self'") && url.origin === what.page.origin) || sources.includes(url.origin);
}

describe('browser security: CORS, CSRF on cookie sessions, security headers', () => {
  const handle = useTestApp({ env: ENV });

  /** A business signed up in a browser: the session cookies signup set, and the same session's bearer token. */
  const browserSession = () => signup(handle.app, 'Browser Co');

  describe('CORS', () => {
    it('answers a preflight from a listed origin, with credentials, the methods and the headers the API takes', async () => {
      const response = await handle.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/api-keys',
        headers: { origin: CONSOLE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': CONSOLE,
        'access-control-allow-credentials': 'true',
        'access-control-max-age': '600',
        'x-request-id': expect.any(String),
      });
      expect(String(response.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
      expect(String(response.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'x-request-id', 'idempotency-key', 'x-operator-override']),
      );
      expect(String(response.headers.vary)).toMatch(/Origin/);
      // The second listed origin too.
      const other = await handle.app.inject({ method: 'OPTIONS', url: '/api/v1/packages', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' } });
      expect([other.statusCode, other.headers['access-control-allow-origin']]).toEqual([204, 'http://localhost:5173']);
    });

    it('gives an unlisted origin no CORS headers: its preflight is the 404 envelope', async () => {
      for (const origin of [EVIL, 'https://console.example.com.evil.example', 'http://console.example.com', 'null']) {
        const preflight = await handle.app.inject({ method: 'OPTIONS', url: '/api/v1/api-keys', headers: { origin, 'access-control-request-method': 'POST' } });
        expect({ origin, status: preflight.statusCode, code: preflight.json<{ code: string }>().code }).toEqual({ origin, status: 404, code: 'NOT_FOUND' });
        const simple = await handle.app.inject({ method: 'GET', url: '/api/v1/health/live', headers: { origin } });
        for (const response of [preflight, simple]) {
          expect({ origin, cors: Object.keys(response.headers).filter((name) => name.startsWith('access-control-')) }).toEqual({ origin, cors: [] });
        }
      }
    });

    it('lets a listed origin read answers and the request id, with credentials', async () => {
      const { owner } = await browserSession();
      const response = await handle.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: { origin: CONSOLE, ...bearer(owner) } });
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({ 'access-control-allow-origin': CONSOLE, 'access-control-allow-credentials': 'true' });
      expect(String(response.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(
        expect.arrayContaining(['x-request-id', 'retry-after', 'idempotent-replayed', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
      );
    });

    it('allows no cross-origin caller at all by default (CORS_ORIGINS unset)', async () => {
      const app = await createTestApp({ databaseUrl: handle.database.url, env: { ...ENV, CORS_ORIGINS: '' } });
      try {
        const preflight = await app.inject({ method: 'OPTIONS', url: '/api/v1/api-keys', headers: { origin: CONSOLE, 'access-control-request-method': 'POST' } });
        expect([preflight.statusCode, preflight.headers['access-control-allow-origin']]).toEqual([404, undefined]);
      } finally {
        await app.close();
      }
    });
  });

  describe('CSRF on cookie sessions', () => {
    it('refuses a body-less cross-site rotate and confirm carried by the cookies alone; nothing changes', async () => {
      const { owner, cookies } = await browserSession();
      const cookie = cookieHeader(cookies);
      expect(Object.keys(cookies).sort()).toEqual(['access_token', 'tenant_sig']);
      const key = await createApiKey(handle.app, owner, { name: 'widget', scopes: ['catalog:read'] });
      const agent = await createApiKey(handle.app, owner, { name: 'agent', scopes: ['agent'] });
      const proposal = (
        await handle.app.inject({ method: 'POST', url: '/api/v1/agent/tools/upsert_package/invoke', headers: bearer(agent.secret), payload: { arguments: { name: 'Forged', basePrice: 1 } } })
      ).json<{ id: string }>();

      const crossSite = { cookie, origin: EVIL, 'sec-fetch-site': 'cross-site' };
      for (const url of [`/api/v1/api-keys/${key.id}/rotate`, `/api/v1/agent/proposals/${proposal.id}/confirm`]) {
        const response = await handle.app.inject({ method: 'POST', url, headers: crossSite });
        expect({ url, status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ url, status: 403, code: 'CSRF_ORIGIN_REFUSED' });
      }
      expect((await handle.app.inject({ method: 'GET', url: '/api/v1/packages', headers: bearer(key.secret) })).statusCode).toBe(200);
      const after = await handle.app.inject({ method: 'GET', url: `/api/v1/agent/proposals/${proposal.id}`, headers: bearer(owner) });
      expect(after.json<{ status: string }>().status).toBe('PENDING');

      // Reads are not writes: the same cross-site GET is answered (CORS keeps its body from the page).
      expect((await handle.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: crossSite })).statusCode).toBe(200);

      // From the API's own origin, or a listed one, the same session writes.
      const sameOrigin = await handle.app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/rotate`, headers: { cookie, 'sec-fetch-site': 'same-origin' } });
      expect(sameOrigin.statusCode).toBe(200);
      const fromOwnHost = await handle.app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/rotate`, headers: { cookie, origin: 'http://localhost', host: 'localhost' } });
      expect(fromOwnHost.statusCode).toBe(200);
      const fromConsole = await handle.app.inject({ method: 'POST', url: `/api/v1/agent/proposals/${proposal.id}/confirm`, headers: { cookie, origin: CONSOLE, 'sec-fetch-site': 'same-site' } });
      expect([fromConsole.statusCode, fromConsole.json<{ status: string }>().status]).toEqual([200, 'CONFIRMED']);
    });

    it('does not apply to bearer tokens or API keys, which a browser never attaches by itself', async () => {
      const { owner } = await browserSession();
      const asBearer = await handle.app.inject({ method: 'POST', url: '/api/v1/segments', headers: { ...bearer(owner), origin: EVIL, 'sec-fetch-site': 'cross-site' }, payload: { name: 'Bearer' } });
      expect(asBearer.statusCode).toBe(201);
      const key = await createApiKey(handle.app, owner, { name: 'server', scopes: ['catalog'] });
      const asKey = await handle.app.inject({ method: 'POST', url: '/api/v1/segments', headers: { ...bearer(key.secret), origin: EVIL }, payload: { name: 'Key' } });
      expect(asKey.statusCode).toBe(201);
    });
  });

  describe('security headers', () => {
    it('API answers: a CSP that allows nothing, nosniff, no framing, no referrer; no HSTS outside production', async () => {
      for (const url of ['/api/v1/health/live', '/api/v1/no-such-route']) {
        const response = await handle.app.inject({ method: 'GET', url });
        expect(parseCsp(String(response.headers['content-security-policy']))).toEqual({
          'default-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'none'"],
          'frame-ancestors': ["'none'"],
        });
        expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cross-origin-opener-policy': 'same-origin' });
        expect(response.headers['strict-transport-security']).toBeUndefined();
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('HSTS in production', async () => {
      const app: NestFastifyApplication = await createTestApp({ databaseUrl: handle.database.url, env: { ...ENV, NODE_ENV: 'production', CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}` } });
      try {
        const response = await app.inject({ method: 'GET', url: '/api/v1/health/live' });
        expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      } finally {
        await app.close();
      }
    });

    it('Swagger UI at /docs loads under its CSP: every script, style and image it uses is allowed, none inline', async () => {
      const pageUrl = new URL('http://localhost/docs');
      const page = await handle.app.inject({ method: 'GET', url: '/docs' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(DOCS_CSP);
      const csp = parseCsp(DOCS_CSP);
      const html = page.body;

      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const [, attributes, body] of scripts) {
        const src = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
        // No inline script: script-src has neither 'unsafe-inline' nor a nonce.
        expect({ src, inline: body.trim() }).toEqual({ src: expect.any(String), inline: '' });
        const url = new URL(src!, pageUrl);
        expect({ src, allowed: cspAllows(csp, 'script-src', { url, page: pageUrl }) }).toEqual({ src, allowed: true });
        const asset = await handle.app.inject({ method: 'GET', url: url.pathname });
        expect({ src, status: asset.statusCode, type: asset.headers['content-type'] }).toEqual({ src, status: 200, type: expect.stringMatching(/javascript/) });
      }
      // swagger-ui-init.js carries the OpenAPI document and starts the UI: the page is useless without it.
      expect(scripts.some(([, attributes]) => attributes.includes('swagger-ui-init.js'))).toBe(true);

      for (const [, href] of html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/gi)) {
        const url = new URL(href, pageUrl);
        expect({ href, allowed: cspAllows(csp, 'style-src', { url, page: pageUrl }) }).toEqual({ href, allowed: true });
        expect((await handle.app.inject({ method: 'GET', url: url.pathname })).statusCode).toBe(200);
      }
      for (const [, href] of html.matchAll(/<link\b[^>]*rel="icon"[^>]*href="([^"]+)"/gi)) {
        expect({ href, allowed: cspAllows(csp, 'img-src', { url: new URL(href, pageUrl), page: pageUrl }) }).toEqual({ href, allowed: true });
      }
      if (/<style\b/i.test(html) || /\sstyle="/i.test(html)) expect(cspAllows(csp, 'style-src', { inline: true, page: pageUrl })).toBe(true);
      // Inline event handlers and javascript: URLs would need script-src 'unsafe-inline'.
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
      // Swagger UI draws its icons from data: URLs and calls the API on its own origin.
      expect(cspAllows(csp, 'img-src', { url: new URL('data:image/svg+xml;base64,AA=='), page: pageUrl })).toBe(true);
      expect(cspAllows(csp, 'connect-src', { url: new URL('http://localhost/api/v1/health/live'), page: pageUrl })).toBe(true);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);

      // The document itself is served under the same policy.
      const document = await handle.app.inject({ method: 'GET', url: '/docs/openapi.json' });
      expect([document.statusCode, document.headers['content-security-policy']]).toEqual([200, DOCS_CSP]);
    });
  });
});
