/**
 * A 32-bit string hash for placing keys and virtual nodes on a ring: FNV-1a over the UTF-16 code units,
 * then a murmur-style finalizer so that keys differing in one character land far apart (plain FNV-1a clusters
 * sequential keys such as `key-1`, `key-2`). Deterministic on every platform; not cryptographic.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Compares two strings by code units (a total, locale-free order). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
