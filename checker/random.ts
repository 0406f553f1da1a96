// A seeded 32-bit random stream for the random walks: a Weyl sequence
// (a counter stepped by an odd constant, the golden ratio's 32 bits) through
// the MurmurHash3 finaliser, which turns neighbouring counters into unrelated
// words. Integer arithmetic only, so a seed gives the same stream on every
// platform and Node version; no allocation per draw.

export class RandomStream {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextWord(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A whole number in 0..n-1 (n at most 2^21: the product below is exact). */
  below(n: number): number {
    return Math.floor((this.nextWord() * n) / 4294967296);
  }
}
