import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json; the same whether code runs from `src/` (tests) or `dist/` (build). */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
