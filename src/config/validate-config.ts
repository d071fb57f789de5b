import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppConfig } from './app-config';
import { secretWeakness } from './secret-strength';
import { isSensitive } from './sensitive.decorator';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Reads AppConfig from environment variables; lists every problem at once. Empty strings count as unset. */
export function validateConfig(env: NodeJS.ProcessEnv): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw = Object.fromEntries(
    [...known, 'DATABASE_URL']
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const problems = validateSync(config, { forbidUnknownValues: true }).map((error) => describe(config, error));
  // One key signing both would let a token's signature pass for a cookie's, or the reverse.
  if (config.JWT_SECRET !== undefined && config.JWT_SECRET === config.TENANT_COOKIE_SECRET) {
    problems.push('TENANT_COOKIE_SECRET: must differ from JWT_SECRET (got (hidden: sensitive))');
  }
  if (config.NODE_ENV === 'production') {
    for (const name of ['JWT_SECRET', 'TENANT_COOKIE_SECRET'] as const) {
      const weakness = config[name] === undefined ? undefined : secretWeakness(config[name]);
      if (weakness) problems.push(`${name}: too weak: ${weakness}; generate one with \`openssl rand -base64 32\` (got (hidden: sensitive))`);
    }
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

function describe(config: AppConfig, error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  const shown = isSensitive(config, error.property) ? '(hidden: sensitive)' : JSON.stringify(error.value);
  return `${error.property}: ${reasons} (got ${shown})`;
}

/** The configuration as it may appear in a log line: sensitive values masked. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, isSensitive(config, key) && value ? '***' : value]),
  );
}
