import { uuidV7 } from './uuid-v7';

describe('uuidV7', () => {
  it('is an RFC 9562 version 7 UUID carrying the millisecond it was made', () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
    const id = uuidV7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time and never repeats', () => {
    const earlier = uuidV7(1_000_000);
    const later = uuidV7(1_000_001);
    expect(earlier < later).toBe(true);
    const many = new Set(Array.from({ length: 1000 }, () => uuidV7(1_000_000)));
    expect(many.size).toBe(1000);
  });
});
