import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';

const ROOT = join(__dirname, '..', '..');
const VARIABLES = [...new Set([...Object.keys(new AppConfig()), 'DATABASE_URL'])].sort();

describe('configuration docs', () => {
  it('.env.example names every variable AppConfig reads, and no other', () => {
    const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const named = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect([...new Set(named)].sort()).toEqual(VARIABLES);
  });

  it("the README's configuration table lists every variable with its default", () => {
    const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|/gm)];
    expect(rows.map((row) => row[1]).sort()).toEqual(VARIABLES);
    const defaults = new AppConfig() as unknown as Record<string, string | number | boolean | undefined>;
    for (const [, name, shown] of rows) {
      const expected = defaults[name] === undefined ? 'unset' : `\`${String(defaults[name])}\``;
      expect({ name, default: shown.trim() }).toEqual({ name, default: expected });
    }
  });
});
