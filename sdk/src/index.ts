// The tenant platform's TypeScript client: openapi-fetch over the types openapi-typescript generates
// from docs/openapi.json (`npm run sdk`). Skeleton; typed errors, auth helpers and pagination follow.
import createFetchClient from 'openapi-fetch';
import type { paths } from './schema';

export type { paths, components, operations } from './schema';

export interface PlatformClientOptions {
  /** Where the API lives, e.g. `http://localhost:3000` (the `/api/v1` prefix is in the paths). */
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
}

export function createPlatformClient(options: PlatformClientOptions) {
  return createFetchClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
}
