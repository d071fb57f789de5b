import { CATALOG_SLUG_MAX_LENGTH, CATALOG_SLUG_PATTERN } from './catalog.constants';
import { catalogSlugFromName, withRandomSuffix } from './catalog-slugs';

describe('catalog slugs', () => {
  it.each([
    ['Wedding Day', 'wedding-day'],
    ['  Crème brûlée — Deluxe!! ', 'creme-brulee-deluxe'],
    ['A', 'a'],
    ['2 hours', '2-hours'],
  ])('%j becomes %j', (name, slug) => {
    expect(catalogSlugFromName(name, 'package')).toBe(slug);
    expect(CATALOG_SLUG_PATTERN.test(slug)).toBe(true);
  });

  it('uses the fallback when nothing of the name survives', () => {
    expect(catalogSlugFromName('✨✨', 'package')).toBe('package');
  });

  it('keeps long names within the column and leaves room for a suffix', () => {
    const slug = catalogSlugFromName('x'.repeat(300), 'package');
    const suffixed = withRandomSuffix(slug);
    expect(suffixed.length).toBeLessThanOrEqual(CATALOG_SLUG_MAX_LENGTH);
    expect(CATALOG_SLUG_PATTERN.test(suffixed)).toBe(true);
    expect(withRandomSuffix(slug)).not.toBe(suffixed);
  });
});
