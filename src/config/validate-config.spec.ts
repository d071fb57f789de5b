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
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 2_592_000,
      REDIS_KEY_PREFIX: 'tp:',
      TENANT_LOOKUP_CACHE_TTL_SECONDS: 300,
      AGENT_PROPOSAL_TTL_SECONDS: 86400,
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
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: .*required when NODE_ENV=production/),
      expect.stringMatching(/^TENANT_COOKIE_SECRET: .*required when NODE_ENV=production/),
    ]);
    const key = 'k'.repeat(32);
    expect(problems({ JWT_SECRET: 'short', TENANT_COOKIE_SECRET: key })).toEqual([expect.stringMatching(/^JWT_SECRET: .*\(got \(hidden: sensitive\)\)$/)]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: key, TENANT_COOKIE_SECRET: key })).toEqual([
      'TENANT_COOKIE_SECRET: must differ from JWT_SECRET (got (hidden: sensitive))',
    ]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: key, TENANT_COOKIE_SECRET: 'c'.repeat(32) })).toEqual([]);
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
