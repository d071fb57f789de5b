import { NOT_LOOK_ALIKE, slugify, withRandomSuffix } from '../common/slugs';
import { RESERVED_TENANT_SLUGS } from './provisioning.constants';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { DEFAULT_SETTINGS } from './tenant-defaults';

/**
 * A DNS label: lowercase letters, digits and inner hyphens, 3 to 63 characters; never `--` in the
 * third and fourth places (`xn--`: a punycode look-alike, see NOT_LOOK_ALIKE).
 */
export const TENANT_SLUG_PATTERN = new RegExp(`^${NOT_LOOK_ALIKE}[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$`);

export interface TenantSettings {
  timezone: string;
  language: string;
}

/** Refuses a slug that is well-formed but reserved (the DTO already checked the format). */
export function assertSlugAllowed(slug: string): void {
  if (!TENANT_SLUG_PATTERN.test(slug)) throw invalid('slug', "must be 3-63 lowercase letters, digits or inner hyphens, without '--' as its third and fourth characters");
  if (RESERVED_TENANT_SLUGS.has(slug)) throw invalid('slug', `"${slug}" is reserved`);
}

/**
 * A slug made from a business name: ASCII-folded, lowercased, non-alphanumerics to single hyphens.
 * When that is too short, reserved or empty, a random suffix makes it usable.
 */
export function slugFromName(name: string): string {
  const base = slugify(name, 50);
  return base.length >= 3 && !RESERVED_TENANT_SLUGS.has(base) ? base : withSuffix(base || 'tenant');
}

/** `base-xxxx`: another candidate when a derived slug is taken. */
export function withSuffix(base: string): string {
  return withRandomSuffix(base, 50);
}

/**
 * Settings with defaults filled and values canonicalised: an IANA time zone as the runtime names it
 * (`europe/berlin` -> `Europe/Berlin`) and a canonical BCP-47 tag (`EN-us` -> `en-US`).
 */
export function normaliseSettings(input: Partial<TenantSettings> | undefined, base: TenantSettings = DEFAULT_SETTINGS): TenantSettings {
  return {
    timezone: input?.timezone === undefined ? base.timezone : canonicalTimeZone(input.timezone),
    language: input?.language === undefined ? base.language : canonicalLanguage(input.language),
  };
}

function canonicalTimeZone(value: string): string {
  try {
    // Offsets ("+01:00") are not IANA names, though some runtimes accept them.
    if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(value)) throw new RangeError();
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw invalid('settings.timezone', 'must be an IANA time zone name, such as "Europe/Berlin" or "UTC"');
  }
}

function canonicalLanguage(value: string): string {
  try {
    const [tag] = Intl.getCanonicalLocales(value);
    if (tag) return tag;
  } catch {
    // falls through to the error below
  }
  throw invalid('settings.language', 'must be a BCP-47 language tag, such as "en" or "pt-BR"');
}

function invalid(field: string, message: string): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.INVALID_TENANT_FIELD, `Invalid ${field}: ${message}`, [{ field, message }]);
}
