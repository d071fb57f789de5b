/**
 * What test/setup/global-setup.ts prepared, passed to test workers through the environment.
 *
 * - `postgres`: a real server (TEST_DATABASE_URL, default the local one). Each suite gets its own
 *   database cloned from a migrated template; the whole run's databases are dropped at the end.
 * - `embedded`: no server was reachable, so one in-memory PGlite serves the run. Suites that need
 *   several concurrent connections or a shadow database are skipped and listed at the end.
 */
export type TestDatabaseKind = 'postgres' | 'embedded';

export const TEST_ENV = {
  kind: 'TEST_DB_KIND',
  /** Prefix of every database this run creates; teardown drops them all. */
  runId: 'TEST_DB_RUN_ID',
  /** Server-level connection used to create and drop databases (postgres kind). */
  adminUrl: 'TEST_DB_ADMIN_URL',
  /** The migrated database suites clone (postgres) or share (embedded). */
  templateUrl: 'TEST_DB_TEMPLATE_URL',
  /** File where skipped suites are recorded for the end-of-run summary. */
  skippedFile: 'TEST_DB_SKIPPED_FILE',
  /** With CONTRACT_REPORT=1: where each test file appends what the contract test saw. */
  contractReportFile: 'TEST_CONTRACT_REPORT_FILE',
} as const;

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env[TEST_ENV.kind];
  if (kind !== 'postgres' && kind !== 'embedded') {
    throw new Error('Test database not prepared: run the tests with `npm test` (jest global setup).');
  }
  return kind;
}

export function testEnv(key: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[key]];
  if (!value) throw new Error(`${TEST_ENV[key]} is not set: run the tests with \`npm test\`.`);
  return value;
}

/**
 * Rate limits (and the password-hashing queue) far above what any suite does from its one client
 * address: fixtures sign up and log in hundreds of times a minute. The real defaults stay in
 * AppConfig; suites about the limits set small ones of their own through `env`.
 */
export const TEST_RATE_LIMIT_ENV: Readonly<Record<string, string>> = {
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR: '1000000',
  RATE_LIMIT_REFRESH_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_STOREFRONT_MISSES_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
  RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
  PASSWORD_HASH_QUEUE_LIMIT: '10000',
};
