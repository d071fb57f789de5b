import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { AuthError, AuthErrorCode } from './auth.errors';
import { CSRF_CHECKED_METHODS } from './auth.constants';

/**
 * Cross-site request forgery, for cookie sessions only (a bearer token or API key is never sent by a
 * browser on its own). A write carried by the session cookie must come from a page of this API's
 * own origin or of an origin in CORS_ORIGINS, as the browser reports it:
 *
 * - `Sec-Fetch-Site: same-origin`, or
 * - an `Origin` equal to the request's own (same host and port as `Host`) or listed in CORS_ORIGINS.
 *
 * Anything else is refused, including a request with neither header: browsers send `Origin` on
 * every cross-origin write and `Sec-Fetch-Site` on all requests, so a cookie request with neither
 * comes from a non-browser client (or a very old browser), and such clients have the bearer token
 * from the login answer. Failing closed costs them nothing. SameSite=Strict stays as the second layer.
 */
@Injectable()
export class CsrfPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(config: AppConfig) {
    this.allowed = new Set(config.corsOrigins);
  }

  check(request: FastifyRequest): void {
    if (!CSRF_CHECKED_METHODS.has(request.method)) return;
    if (request.headers['sec-fetch-site'] === 'same-origin') return;
    const origin = request.headers.origin;
    if (origin !== undefined && (this.allowed.has(origin) || isSameOrigin(origin, request.headers.host))) return;
    throw new AuthError(
      AuthErrorCode.CSRF_ORIGIN_REFUSED,
      "Cross-site request refused: a cookie session may write only from this API's origin or one in CORS_ORIGINS (other clients send the access token as a bearer header)",
    );
  }
}

/** `Origin` names the host (and port) this request was sent to. The scheme is TLS's concern, not ours. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const parsed = new URL(origin);
    if (parsed.origin === 'null') return false;
    return new URL(`${parsed.protocol}//${host}`).host === parsed.host;
  } catch {
    return false;
  }
}
