import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import { OPERATOR_OVERRIDE_HEADER } from './headers';
import type { paths } from './schema';

/** A value, or a function asked before every request (so a refreshed token is picked up at once). */
export type CredentialSource = string | (() => string | null | undefined | Promise<string | null | undefined>);

/** `fetch`'s `credentials`: `include` sends the session cookies to an API on another origin. */
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

export interface PlatformClientOptions {
  /** Where the API lives, e.g. `http://localhost:3000` (the `/api/v1` prefix is in the paths). */
  baseUrl: string;
  fetch?: (input: Request) => Promise<Response>;
  /** The `accessToken` of login, signup or refresh; sent as `Authorization: Bearer`. */
  accessToken?: CredentialSource;
  /** A tenant API key (`sk_…`); sent as `Authorization: Bearer` too. Not together with `accessToken`. */
  apiKey?: CredentialSource;
  /**
   * Browsers: `include` for a cookie session (the `access_token` and `tenant_sig` cookies login
   * sets) with an API on another origin; that origin must be in the API's CORS_ORIGINS, which is
   * also what its CSRF check for cookie writes asks of the browser's `Origin`.
   */
  credentials?: CredentialsMode;
  /** Operators: read this tenant's data (sets X-Operator-Override on every request; GET/HEAD only). */
  operatorOverride?: string;
  /** Sent with every request (a per-call `headers` wins). */
  headers?: Record<string, string>;
}

/** The openapi-fetch client over this API's paths: `GET`, `POST`, `PATCH`, … with typed params and bodies. */
export type PlatformClient = Client<paths>;

/** Authorization from a credential source, unless the call set its own. */
function bearer(source: CredentialSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('authorization')) return undefined;
      const credential = typeof source === 'string' ? source : await source();
      if (credential) request.headers.set('authorization', `Bearer ${credential}`);
      return request;
    },
  };
}

/**
 * The API client. Without `accessToken` or `apiKey` it reaches the public routes (signup, login,
 * storefront) and, in a browser with `credentials: 'include'`, the cookie session.
 */
export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  if (options.accessToken !== undefined && options.apiKey !== undefined) {
    throw new TypeError('createPlatformClient: give accessToken or apiKey, not both (both are the Authorization header)');
  }
  const headers: Record<string, string> = { ...options.headers };
  if (options.operatorOverride !== undefined) headers[OPERATOR_OVERRIDE_HEADER] = options.operatorOverride;
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    headers,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const credential = options.accessToken ?? options.apiKey;
  if (credential !== undefined) client.use(bearer(credential));
  return client;
}
