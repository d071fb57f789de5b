import { randomBytes } from 'node:crypto';
import { ConfigValidationError, describeConfig, validateConfig } from './validate-config';

describe('validateConfig', () => {
  it('gives every variable its default when the environment is empty', () => {
    const config = validateConfig({});
    expect({ ...config }).toEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      DATABASE_POOL_SIZE: 10,
      EMBEDDED_DATA_DIR: '.data/pglite',
      MIGRATE_ON_START: false,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1_048_576,
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DOCS_ENABLED: true,
      METRICS_ENABLED: true,
      JSON_MAX_DEPTH: 64,
      JSON_MAX_KEYS: 100,
      JSON_MAX_ARRAY_LENGTH: 1_000,
      JSON_MAX_VALUES: 2_000,
      JSON_MAX_STRING_LENGTH: 10_000,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 2_592_000,
      REDIS_KEY_PREFIX: 'tp:',
      TENANT_LOOKUP_CACHE_TTL_SECONDS: 300,
      AGENT_PROPOSAL_TTL_SECONDS: 86400,
      META_GRAPH_URL: 'https://graph.facebook.com',
      META_GRAPH_API_VERSION: 'v21.0',
      META_GRAPH_TIMEOUT_MS: 10_000,
      IDEMPOTENCY_TTL_SECONDS: 86_400,
      IDEMPOTENCY_LOCK_SECONDS: 120,
      IDEMPOTENCY_PURGE_INTERVAL_SECONDS: 3_600,
      TRUST_PROXY: 'false',
      RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: 20,
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: 100,
      RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR: 10,
      RATE_LIMIT_REFRESH_PER_IP_PER_MINUTE: 60,
      RATE_LIMIT_STOREFRONT_MISSES_PER_IP_PER_MINUTE: 60,
      RATE_LIMIT_TENANT_PER_MINUTE: 1200,
      RATE_LIMIT_API_KEY_PER_MINUTE: 600,
      PASSWORD_HASH_CONCURRENCY: 1,
      PASSWORD_HASH_QUEUE_LIMIT: 32,
      AGENT_MCP_MAX_BATCH: 10,
      AGENT_MAX_PENDING_PROPOSALS: 100,
    });
    expect(config.usesEmbeddedDatabase).toBe(true);
    expect(config.corsOrigins).toEqual([]);
  });

  it('reads CORS_ORIGINS as exact origins and refuses wildcards, paths and other shapes', () => {
    expect(validateConfig({ CORS_ORIGINS: 'https://console.example.com, http://localhost:5173,https://a.example:443' }).corsOrigins).toEqual([
      'https://console.example.com',
      'http://localhost:5173',
      'https://a.example',
    ]);
    const invalid = ['*', 'https://*.example.com', 'https://console.example.com/', 'https://console.example.com/app', 'console.example.com', 'HTTPS://CONSOLE.EXAMPLE.COM', 'https://a.example,', 'ftp://a.example'];
    const refused = invalid.filter((value) => {
      try {
        validateConfig({ CORS_ORIGINS: value });
        return false;
      } catch (error) {
        return /CORS_ORIGINS must be comma-separated origins/.test(String(error));
      }
    });
    expect(refused).toEqual(invalid);
  });

  it('requires both signing keys in production, at least 32 characters and different', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        validateConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigValidationError).problems;
      }
    };
    const vaultKeys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(problems({ NODE_ENV: 'production', CREDENTIALS_KEYS: vaultKeys })).toEqual([
      expect.stringMatching(/^JWT_SECRET: .*required when NODE_ENV=production/),
      expect.stringMatching(/^TENANT_COOKIE_SECRET: .*required when NODE_ENV=production/),
    ]);
    const key = 'Vq3xN8pL2mRk7Tz4Wc9Hs6Yd1Bf5Gj0A';
    expect(problems({ JWT_SECRET: 'short', TENANT_COOKIE_SECRET: key })).toEqual([expect.stringMatching(/^JWT_SECRET: .*\(got \(hidden: sensitive\)\)$/)]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: key, TENANT_COOKIE_SECRET: key, CREDENTIALS_KEYS: vaultKeys })).toEqual([
      'TENANT_COOKIE_SECRET: must differ from JWT_SECRET (got (hidden: sensitive))',
    ]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: key, TENANT_COOKIE_SECRET: 'q8Zt2Kx5Lw9Np3Rm7Vb1Hc4Jf6Gd0SyE', CREDENTIALS_KEYS: vaultKeys })).toEqual([]);
  });

  it('requires the vault keyring in production, and checks its format without echoing keys', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        validateConfig({ JWT_SECRET: 'Vq3xN8pL2mRk7Tz4Wc9Hs6Yd1Bf5Gj0A', TENANT_COOKIE_SECRET: 'q8Zt2Kx5Lw9Np3Rm7Vb1Hc4Jf6Gd0SyE', ...env });
        return [];
      } catch (error) {
        return (error as ConfigValidationError).problems;
      }
    };
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^CREDENTIALS_KEYS: CREDENTIALS_KEYS is required when NODE_ENV=production/)]);
    const good = Buffer.alloc(32, 1).toString('base64');
    expect(problems({ CREDENTIALS_KEYS: `k2:${good},k1:${Buffer.alloc(32, 2).toString('base64')}` })).toEqual([]);
    const short = Buffer.alloc(16, 1).toString('base64');
    for (const [value, reason] of [
      [`k1:${short}`, /pair 1 \(k1\): the key must be 32 bytes in base64/],
      [good, /pair 1: the id must be/],
      [`k1:${good},k1:${good}`, /key id k1 appears twice/],
    ] as const) {
      const found = problems({ CREDENTIALS_KEYS: value });
      expect(found).toEqual([expect.stringMatching(reason)]);
      expect(found[0]).not.toContain(value.includes(':') ? value.split(':')[1].slice(0, 20) : value.slice(0, 20));
      expect(found[0]).toContain('(hidden: sensitive)');
    }
  });

  it('refuses weak signing keys in production, saying why and never showing them', () => {
    const strong = 'q8Zt2Kx5Lw9Np3Rm7Vb1Hc4Jf6Gd0SyE';
    const refusal = (secret: string) => {
      try {
        validateConfig({ NODE_ENV: 'production', JWT_SECRET: secret, TENANT_COOKIE_SECRET: strong, CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}` });
        return undefined;
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
        return (error as ConfigValidationError).problems.join('\n');
      }
    };
    expect(refusal('a'.repeat(34))).toMatch(/^JWT_SECRET: too weak: uses only 1 distinct character \(at least 10\).*openssl rand.*\(got \(hidden: sensitive\)\)$/);
    expect(refusal('changeme'.repeat(5))).toMatch(/^JWT_SECRET: too weak: uses only 7 distinct characters/);
    expect(refusal(`${'a'.repeat(30)}0123456789`)).toMatch(/^JWT_SECRET: too weak: has an estimated \d+ bits of entropy \(at least 80\)/);
    expect(refusal('0123456789'.repeat(4))).toMatch(/^JWT_SECRET: too weak: repeats a pattern/);
    expect(refusal('abcdefghijklmnop'.repeat(2))).toMatch(/repeats a pattern/);
    for (const secret of [randomBytes(32).toString('base64'), randomBytes(32).toString('hex'), randomBytes(24).toString('base64url')]) expect(refusal(secret)).toBeUndefined();
    // Outside production a weak key is the developer's business (tests use readable ones).
    expect(validateConfig({ NODE_ENV: 'test', JWT_SECRET: 'a'.repeat(34) }).JWT_SECRET).toBe('a'.repeat(34));
  });

  it('bounds the JSON input limits', () => {
    expect(validateConfig({ JSON_MAX_KEYS: '5', JSON_MAX_VALUES: '50' })).toMatchObject({ JSON_MAX_KEYS: 5, JSON_MAX_VALUES: 50 });
    expect(() => validateConfig({ JSON_MAX_KEYS: '0' })).toThrow(/JSON_MAX_KEYS/);
    expect(() => validateConfig({ JSON_MAX_DEPTH: '5000' })).toThrow(/JSON_MAX_DEPTH/);
    expect(() => validateConfig({ JSON_MAX_STRING_LENGTH: 'lots' })).toThrow(/JSON_MAX_STRING_LENGTH/);
  });

  it('converts numbers and booleans from their string form', () => {
    const config = validateConfig({ PORT: '8080', MIGRATE_ON_START: 'true', DATABASE_URL: 'postgresql://u@h/db' });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATE_ON_START).toBe(true);
    expect(config.usesEmbeddedDatabase).toBe(false);
    expect(validateConfig({ MIGRATE_ON_START: '0' }).MIGRATE_ON_START).toBe(false);
  });

  it('treats an empty string as unset', () => {
    expect(validateConfig({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
    expect(validateConfig({ DATABASE_URL: '' }).usesEmbeddedDatabase).toBe(true);
  });

  it('lists every problem at once, not just the first', () => {
    let error: unknown;
    try {
      validateConfig({ PORT: '70000', LOG_LEVEL: 'chatty', BODY_LIMIT_BYTES: '10', MIGRATE_ON_START: 'yes', NODE_ENV: 'staging' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(
      ['BODY_LIMIT_BYTES', 'LOG_LEVEL', 'MIGRATE_ON_START', 'NODE_ENV', 'PORT'].sort(),
    );
    expect((error as Error).message).toContain('5 problems');
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('(got 70000)');
  });

  it('bounds SHUTDOWN_TIMEOUT_MS to what a Node timer can wait', () => {
    expect(() => validateConfig({ SHUTDOWN_TIMEOUT_MS: '3000000000' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => validateConfig({ SHUTDOWN_TIMEOUT_MS: '0' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(validateConfig({ SHUTDOWN_TIMEOUT_MS: '2147483647' }).SHUTDOWN_TIMEOUT_MS).toBe(2_147_483_647);
  });

  it('refuses a DATABASE_URL that selects a schema other tools would honour differently', () => {
    expect(() => validateConfig({ DATABASE_URL: 'postgresql://u@h/db?schema=app' })).toThrow(/schema=/);
    expect(() => validateConfig({ DATABASE_URL: 'postgresql://u@h/db?sslmode=disable&schema=app' })).toThrow(/schema=/);
    expect(validateConfig({ DATABASE_URL: 'postgresql://u@h/db?sslmode=disable' }).DATABASE_URL).toContain('sslmode');
  });

  it('bounds every rate limit to 1..1,000,000 whole requests and validates TRUST_PROXY', () => {
    expect(validateConfig({ RATE_LIMIT_TENANT_PER_MINUTE: '5000', TRUST_PROXY: '10.0.0.0/8' })).toMatchObject({ RATE_LIMIT_TENANT_PER_MINUTE: 5000, TRUST_PROXY: '10.0.0.0/8' });
    for (const value of ['0', '-1', '2.5', '1000001', 'many']) expect(() => validateConfig({ RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: value })).toThrow(/RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE/);
    expect(() => validateConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY must be false or a comma-separated list/);
    expect(() => validateConfig({ PASSWORD_HASH_CONCURRENCY: '0' })).toThrow(/PASSWORD_HASH_CONCURRENCY/);
  });

  it('rejects a non-integer port instead of truncating it', () => {
    expect(() => validateConfig({ PORT: '80.5' })).toThrow(/PORT/);
  });

  it('never echoes a sensitive value in a problem', () => {
    const secretUrl = 'mysql://root:hunter2@db/app';
    expect(() => validateConfig({ DATABASE_URL: secretUrl })).toThrow(/DATABASE_URL.*hidden: sensitive/);
    try {
      validateConfig({ DATABASE_URL: secretUrl });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('masks sensitive values when describing the configuration for a log line', () => {
    const described = describeConfig(validateConfig({ DATABASE_URL: 'postgresql://u:hunter2@h/db' }));
    expect(described.DATABASE_URL).toBe('***');
    expect(described.PORT).toBe(3000);
  });
});
