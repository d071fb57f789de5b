import { NOT_LOOK_ALIKE } from '../common/slugs';

/** API-key scopes of the tenant's catalog routes. */
export const CATALOG_READ_SCOPE = 'catalog:read';
export const CATALOG_WRITE_SCOPE = 'catalog:write';

/** Slug of the segment every tenant has; it cannot be deleted or renamed to another slug. */
export const GENERAL_SEGMENT_SLUG = 'general';

/**
 * Catalog slugs: lowercase letters, digits and inner hyphens (a CHECK in the database too), never
 * `--` in the third and fourth places (`xn--`, see NOT_LOOK_ALIKE; checked here, not in the CHECK).
 */
export const CATALOG_SLUG_PATTERN = new RegExp(`^${NOT_LOOK_ALIKE}[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`);
export const CATALOG_SLUG_RULE = "slug must be lowercase letters, digits and inner hyphens, without '--' as its third and fourth characters";
export const CATALOG_SLUG_MAX_LENGTH = 63;

/** Prices are integer cents in a 32-bit column. */
export const MAX_PRICE_CENTS = 2_147_483_647;
