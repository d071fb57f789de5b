import { CATALOG_SLUG_MAX_LENGTH } from './catalog.constants';
import { slugify, withRandomSuffix as suffixed } from '../common/slugs';

/** Room left for `-xxxxxx` when a derived slug is taken. */
const BASE_MAX_LENGTH = CATALOG_SLUG_MAX_LENGTH - 7;

/** A slug made from a name; `fallback` when nothing of the name survives ("✨✨" has no letters). */
export function catalogSlugFromName(name: string, fallback: string): string {
  return slugify(name, BASE_MAX_LENGTH) || fallback;
}

/** Another candidate for a derived slug that is taken. */
export function withRandomSuffix(slug: string): string {
  return suffixed(slug, BASE_MAX_LENGTH);
}
