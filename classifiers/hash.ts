/**
 * FNV-1a over a string's UTF-16 code units: the classifiers' one hash for keys and features
 * (repeat keys and shingles, the abuse model's hashed features, held-back shares).
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** Continues a hash `seed` over `s` (a signed 32-bit value; `>>> 0` for unsigned). */
export function fnv1aFrom(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The unsigned FNV-1a hash of `s`. */
export function fnv1a(s: string): number {
  return fnv1aFrom(FNV_OFFSET, s) >>> 0;
}
