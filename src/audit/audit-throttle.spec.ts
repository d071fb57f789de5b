import { AuditThrottle } from './audit-throttle';

describe('AuditThrottle', () => {
  it('admits a few events per source per window, then counts the rest and reports them with the next one admitted', () => {
    const throttle = new AuditThrottle(3, 60_000, 100);
    const t0 = 1_000_000;
    expect([1, 2, 3, 4, 5].map((i) => throttle.admit('key-b', t0 + i).record)).toEqual([true, true, true, false, false]);
    // Another source has its own budget.
    expect(throttle.admit('key-c', t0 + 10)).toEqual({ record: true, droppedBefore: 0 });
    // Next window: admitted again, carrying what was dropped.
    expect(throttle.admit('key-b', t0 + 60_001)).toEqual({ record: true, droppedBefore: 2 });
    expect(throttle.admit('key-b', t0 + 60_002)).toEqual({ record: true, droppedBefore: 0 });
  });

  it('remembers a bounded number of sources', () => {
    const throttle = new AuditThrottle(1, 60_000, 10);
    for (let i = 0; i < 1000; i++) throttle.admit(`source-${i}`, 5_000 + i);
    expect((throttle as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(10);
    // A source pushed out starts afresh (at worst a few more events are written, never unbounded memory).
    expect(throttle.admit('source-0', 6_000).record).toBe(true);
  });
});
