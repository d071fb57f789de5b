import { randomBytes } from 'node:crypto';
import { CATALOG_SLUG_MAX_LENGTH } from './catalog.constants';

/** Room left for `-xxxxxx` when a derived slug is taken. */
const BASE_MAX_LENGTH = CATALOG_SLUG_MAX_LENGTH - 7;

/**
 * A slug made from a name: ASCII-folded, lowercased, runs of anything else to one hyphen.
 * `fallback` is used when nothing of the name survives ("✨✨" has no letters).
 */
export function catalogSlugFromName(name: string, fallback: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, BASE_MAX_LENGTH)
    .replace(/-+$/g, '');
  return base || fallback;
}

/** Another candidate for a derived slug that is taken. */
export function withRandomSuffix(slug: string): string {
  return `${slug.slice(0, BASE_MAX_LENGTH).replace(/-+$/g, '')}-${randomBytes(3).toString('hex')}`;
}
