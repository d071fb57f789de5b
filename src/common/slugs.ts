import { randomBytes } from 'node:crypto';

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
