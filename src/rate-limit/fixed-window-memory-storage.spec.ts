import { FixedWindowMemoryStorage } from './fixed-window-memory-storage';

const T0 = 1_700_000_000_000;

describe('FixedWindowMemoryStorage', () => {
  let storage: FixedWindowMemoryStorage;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    storage = new FixedWindowMemoryStorage();
  });

  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  const hit = (key = 'k', limit = 3, ttl = 60_000, block = 60_000, name = 'api-key') => storage.increment(key, ttl, limit, block, name);

  it('counts hits in one window and says how long it has left', async () => {
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    jest.setSystemTime(T0 + 20_500);
    expect(await hit()).toEqual({ totalHits: 2, timeToExpire: 40, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('blocks the hit past the limit for the block duration, then starts a new window', async () => {
    for (let i = 0; i < 3; i++) expect((await hit('k', 3, 60_000, 90_000)).isBlocked).toBe(false);
    expect(await hit('k', 3, 60_000, 90_000)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 90 });
    // The window ends at 60 s but the block holds until 90 s.
    jest.setSystemTime(T0 + 70_000);
    expect(await hit('k', 3, 60_000, 90_000)).toMatchObject({ totalHits: 1, isBlocked: true, timeToBlockExpire: 20 });
    jest.setSystemTime(T0 + 90_000);
    expect(await hit('k', 3, 60_000, 90_000)).toMatchObject({ totalHits: 2, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('resets the count when the window ends', async () => {
    for (let i = 0; i < 3; i++) await hit();
    jest.setSystemTime(T0 + 60_000);
    expect(await hit()).toMatchObject({ totalHits: 1, timeToExpire: 60, isBlocked: false });
  });

  it('keeps keys and limit names apart', async () => {
    await hit('a');
    await hit('a');
    expect((await hit('b')).totalHits).toBe(1);
    expect((await hit('a', 3, 60_000, 60_000, 'tenant')).totalHits).toBe(1);
    expect((await hit('a')).totalHits).toBe(3);
  });

  it('without a block length (0), a key over its limit is refused until its window ends', async () => {
    expect((await hit('k', 1, 60_000, 0)).isBlocked).toBe(false);
    jest.setSystemTime(T0 + 10_000);
    expect(await hit('k', 1, 60_000, 0)).toEqual({ totalHits: 2, timeToExpire: 50, isBlocked: true, timeToBlockExpire: 50 });
    expect((await hit('k', 1, 60_000, 0)).isBlocked).toBe(true);
    jest.setSystemTime(T0 + 60_000);
    expect(await hit('k', 1, 60_000, 0)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('holds one counter per key however many hits it takes (the library kept one timestamp per hit)', async () => {
    for (let i = 0; i < 50_000; i++) await hit('busy', 1_000_000);
    expect(storage.size).toBe(1);
    expect((await hit('busy', 1_000_000)).totalHits).toBe(50_001);
  });

  it('the sweep drops ended windows but keeps live ones and blocks', async () => {
    await hit('idle');
    await hit('blocked', 0, 1_000, 120_000);
    jest.setSystemTime(T0 + 30_000);
    await hit('live');
    jest.setSystemTime(T0 + 61_000);
    storage.sweep();
    expect(storage.size).toBe(2); // 'live' (until 90 s) and 'blocked' (until 120 s)
    jest.setSystemTime(T0 + 121_000);
    storage.sweep();
    expect(storage.size).toBe(0);
  });
});
