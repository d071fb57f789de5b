/**
 * A cache-aside store that never serves a value older than the last invalidation. Each key has a
 * version; a value is stored with the version that was current when its database read began, and
 * is only served while that version is still current. Invalidation bumps the version after the
 * change commits, so a slow reader that read the old row and writes it back late writes it under
 * an old version, which nobody will serve: the classic cache-aside race cannot leave a stale entry.
 */
export interface VersionedCache {
  /** The key's current version, and its value if one is stored for that version. */
  read(key: string): Promise<{ version: string; value: string | undefined }>;
  /** Stores `value` as read under `version` (from read()). */
  write(key: string, version: string, value: string, ttlSeconds: number): Promise<void>;
  /** Makes every stored value of these keys unservable. Call after the change has committed. */
  invalidate(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Separates version and value in a stored entry (versions are decimal integers). */
const SEPARATOR = '|';

export function packEntry(version: string, value: string): string {
  return `${version}${SEPARATOR}${value}`;
}

export function unpackEntry(entry: string | null | undefined, version: string): string | undefined {
  if (entry == null) return undefined;
  const at = entry.indexOf(SEPARATOR);
  return at > 0 && entry.slice(0, at) === version ? entry.slice(at + 1) : undefined;
}

/** One process's cache: for the embedded default and single-instance deployments. */
export class InProcessVersionedCache implements VersionedCache {
  private readonly versions = new Map<string, number>();
  private readonly entries = new Map<string, { entry: string; expiresAt: number }>();
  private static readonly MAX_ENTRIES = 10_000;

  read(key: string) {
    const version = String(this.versions.get(key) ?? 0);
    const stored = this.entries.get(key);
    if (stored && stored.expiresAt <= Date.now()) this.entries.delete(key);
    return Promise.resolve({ version, value: stored && stored.expiresAt > Date.now() ? unpackEntry(stored.entry, version) : undefined });
  }

  write(key: string, version: string, value: string, ttlSeconds: number) {
    // Bounded: the oldest entry goes first (Map keeps insertion order).
    if (this.entries.size >= InProcessVersionedCache.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { entry: packEntry(version, value), expiresAt: Date.now() + ttlSeconds * 1000 });
    return Promise.resolve();
  }

  invalidate(keys: readonly string[]) {
    for (const key of keys) {
      this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
      this.entries.delete(key);
    }
    return Promise.resolve();
  }

  async close() {}
}
