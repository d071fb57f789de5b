/**
 * What every tenant starts with. The one place these values live: provisioning, the orphan repair
 * and the catalog's "General segment is missing" fallback all read them from here.
 */
export const DEFAULT_SEGMENT = Object.freeze({
  slug: 'general',
  name: 'General',
  heroTitle: 'Our Services',
  description: 'Your main service offerings',
  sortOrder: 0,
});

/** Three tiers, priced 0 until the tenant sets prices: a good / better / best ladder. */
export const DEFAULT_PACKAGES = Object.freeze([
  Object.freeze({
    slug: 'basic-package',
    name: 'Basic',
    description: 'Good: the essentials, for a simple booking.',
    basePrice: 0,
    groupingOrder: 1,
  }),
  Object.freeze({
    slug: 'standard-package',
    name: 'Standard',
    description: 'Better: everything in Basic, plus more time and extras.',
    basePrice: 0,
    groupingOrder: 2,
  }),
  Object.freeze({
    slug: 'premium-package',
    name: 'Premium',
    description: 'Best: everything in Standard, with the full premium experience.',
    basePrice: 0,
    groupingOrder: 3,
  }),
]);

export const DEFAULT_SETTINGS = Object.freeze({ timezone: 'UTC', language: 'en' });

export const DEFAULT_COMMISSION_PERCENT = 10;

/** The first API key of a tenant: full access within its tenant. */
export const FIRST_API_KEY = Object.freeze({ name: 'Default key', scopes: ['*'] });
