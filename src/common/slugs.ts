import { randomBytes } from 'node:crypto';

/**
 * Refuses a label with hyphens in its third and fourth places: IDNA reserves those, and `xn--` is
 * punycode, so `xn--pple-43d` displays as "аpple" with a Cyrillic а. slugify never makes one (it
 * folds runs of hyphens), so only a slug a client chose can be refused by it.
 */
export const NOT_LOOK_ALIKE = '(?!..--)';

/**
 * A name as a slug: ASCII-folded, lowercased, runs of anything else to one hyphen, at most
 * `maxLength` characters, no hyphen at either end. Empty when nothing of the name survives.
 */
export function slugify(name: string, maxLength: number): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

/** `base-xxxxxx`: another candidate when a derived slug is taken (base cut to `maxBaseLength`). */
export function withRandomSuffix(base: string, maxBaseLength: number): string {
  return `${base.slice(0, maxBaseLength).replace(/-+$/g, '')}-${randomBytes(3).toString('hex')}`;
}
