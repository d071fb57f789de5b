import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root';

/** Every API route lives under this prefix (docs and metrics do not). */
export const API_PREFIX = 'api/v1';
/** Served at the root by convention (Prometheus scrapes /metrics). */
export const UNPREFIXED_ROUTES = ['metrics'];
export const REQUEST_ID_HEADER = 'x-request-id';
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';
/** The admin console (console/, built to dist/console-app) is served here, outside the API prefix. */
export const CONSOLE_PATH = 'console';
export const API_TITLE = 'Tenant Platform API';
/** The document's `info.version`: the package's own version (package.json), never a second copy. */
export const API_VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The oldest Node this server runs on: 24 LTS. package.json's `engines` says the same (a test checks). */
export const MIN_NODE_VERSION = '24.11.0';
/**
 * The PostgreSQL a developer machine (and CI) runs. Used where a real server is required and none
 * was configured: test databases and the shadow database `db:migrate:new` diffs on.
 */
export const LOCAL_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Upper bound of `limit` on every list. */
export const MAX_PAGE_SIZE = 100;
/** Largest `offset` of an offset-paginated list; further pages are refused (400), not scanned. */
export const MAX_OFFSET = 100_000;
/** Error answers list at most this many details, then say how many more there were. */
export const MAX_ERROR_DETAILS = 20;
/** Longest object key accepted in a JSON body (no DTO has a key near this long). */
export const MAX_JSON_KEY_LENGTH = 256;
