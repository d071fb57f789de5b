import { InProcessVersionedCache, packEntry, unpackEntry } from './versioned-cache';

describe('versioned cache entries', () => {
  it('serve only under the version they were written with', () => {
    expect(unpackEntry(packEntry('3', '{"a":1}'), '3')).toBe('{"a":1}');
    expect(unpackEntry(packEntry('3', '{"a":1}'), '4')).toBeUndefined();
    expect(unpackEntry(packEntry('3', 'x|y'), '3')).toBe('x|y');
    expect(unpackEntry(null, '0')).toBeUndefined();
    expect(unpackEntry('garbage', '0')).toBeUndefined();
  });
});

describe('InProcessVersionedCache', () => {
  it('a write under a version taken before an invalidation is never served', async () => {
    const cache = new InProcessVersionedCache();
    const before = await cache.read('k');
    await cache.invalidate(['k']);
    await cache.write('k', before.version, 'stale', 60);
    expect((await cache.read('k')).value).toBeUndefined();
    const now = await cache.read('k');
    await cache.write('k', now.version, 'fresh', 60);
    expect((await cache.read('k')).value).toBe('fresh');
  });

  it('expires entries after their TTL', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const cache = new InProcessVersionedCache();
      await cache.write('k', '0', 'v', 1);
      expect((await cache.read('k')).value).toBe('v');
      jest.setSystemTime(1_000_000 + 1_001);
      expect((await cache.read('k')).value).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
