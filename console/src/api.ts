import { createPlatformClient, type components } from '@tenant-platform/sdk';

export type Schemas = components['schemas'];

/**
 * The console's adapter around the SDK: every call goes through the SDK's typed client, with a
 * fetch that
 * - sends the session cookies (same origin: the browser adds `Origin` and `Sec-Fetch-Site:
 *   same-origin`, which is what the API's CSRF rule asks of cookie-session writes);
 * - adds `X-Operator-Override` to reads while an operator views a tenant (the API refuses it on writes);
 * - on a 401, exchanges the refresh token once and repeats the request (the access cookie lives
 *   15 minutes; the refresh token stays in memory only, never in web storage).
 */
let refreshToken: string | null = null;
let viewAsTenant: string | null = null;
let onSessionLost: () => void = () => undefined;
let refreshing: Promise<boolean> | null = null;

export function rememberRefreshToken(token: string | null): void {
  refreshToken = token;
}

export function setViewAs(tenantId: string | null): void {
  viewAsTenant = tenantId;
}

export function viewingAs(): string | null {
  return viewAsTenant;
}

export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

const SAFE = new Set(['GET', 'HEAD']);
const NO_REFRESH = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/signup'];

async function refresh(): Promise<boolean> {
  if (!refreshToken) return false;
  const token = refreshToken;
  refreshToken = null; // single use, whatever the answer
  const response = await fetch('/api/v1/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: token }),
  });
  if (!response.ok) return false;
  const session = (await response.json()) as Schemas['SessionOutput'];
  refreshToken = session.refreshToken;
  return true;
}

async function consoleFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, { ...init, credentials: 'same-origin' });
  if (viewAsTenant && SAFE.has(request.method)) request.headers.set('x-operator-override', viewAsTenant);
  const retry = request.clone();
  const response = await fetch(request);
  const path = new URL(request.url).pathname;
  if (response.status !== 401 || NO_REFRESH.includes(path)) return response;
  refreshing ??= refresh().finally(() => (refreshing = null));
  if (await refreshing) return fetch(retry);
  onSessionLost();
  return response;
}

export const api = createPlatformClient({ baseUrl: window.location.origin, fetch: consoleFetch });

/** The API's error envelope, kept whole so the UI can show its message, field errors and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly details: { field?: string; message: string }[] = [],
  ) {
    super(message);
  }

  fieldError(field: string): string | undefined {
    return this.details.find((detail) => detail.field === field)?.message;
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or an ApiError built from the envelope (or from the status when there is none). */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.', null);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<Schemas['ErrorOutput']>;
  throw new ApiError(
    response.status,
    body.code ?? `HTTP_${response.status}`,
    body.error ?? response.statusText ?? 'Request failed',
    body.requestId ?? response.headers.get('x-request-id'),
    body.details ?? [],
  );
}
