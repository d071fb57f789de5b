import { depthExceeds } from './json-structure';

describe('depthExceeds', () => {
  it('counts nesting of objects and arrays', () => {
    expect(depthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(depthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(depthExceeds('{"a":"[[[[{{{{\\"[[[["}', 1)).toBe(false);
  });

  it('handles a deep body quickly and without recursion', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(depthExceeds(deep, 64)).toBe(true);
  });
});
