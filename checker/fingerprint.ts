// 64-bit state fingerprints of a packed state, as two independently mixed
// 32-bit hashes. The result is left in FP (lo, hi) so the hot loop allocates
// nothing.

export const FP = new Uint32Array(2);

export function fingerprint(words: Uint32Array, at: number, n: number): void {
  // Stream a is murmur3_32; stream b mixes the same words with other
  // constants and its own finaliser, so the two halves are not correlated.
  let a = 0x9e3779b9 ^ n;
  let b = 0x85ebca6b;
  for (let i = 0; i < n; i++) {
    const v = words[at + i]!;
    let k = Math.imul(v, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    a ^= Math.imul(k, 0x1b873593);
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ v, 0x2c1b3c6d) + i;
    b ^= b >>> 15;
  }
  a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13; a = Math.imul(a, 0xc2b2ae35); a ^= a >>> 16;
  b ^= b >>> 16; b = Math.imul(b, 0x297a2d39); b ^= b >>> 12; b = Math.imul(b, 0x9e3779b1); b ^= b >>> 16;
  FP[0] = a;
  FP[1] = b;
  // (0, 0) marks an empty slot in the store.
  if ((a | b) === 0) FP[0] = 1;
}

/**
 * TLC's "optimistic" estimate of the chance that two distinct states shared a
 * fingerprint, so that one was never explored: n * (generated - n) / 2^64.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}
