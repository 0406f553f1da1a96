// The id of a state by its fingerprint, for the edges of the state graph: the
// fingerprint store (store.ts) only says whether a fingerprint is new, and
// its table stays as it is so that a run with no liveness property pays
// nothing. Open addressing over (lo, hi, id) triples, at most 0.7 full.

export class IdTable {
  private t = new Uint32Array(3 << 12);
  private mask = (1 << 12) - 1;
  private n = 0;

  get bytes(): number { return this.t.byteLength; }

  /** Records that fingerprint (lo, hi) is state `id`. */
  set(lo: number, hi: number, id: number): void {
    if (this.n + 1 > (this.mask + 1) * 0.7) this.grow();
    this.put(this.t, this.mask, lo >>> 0, hi >>> 0, id);
    this.n++;
  }

  /** The id of fingerprint (lo, hi); -1 when it is not there. */
  get(lo: number, hi: number): number {
    const t = this.t;
    const mask = this.mask;
    lo >>>= 0; hi >>>= 0;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const j = i * 3;
      const a = t[j]!, b = t[j + 1]!;
      if (a === lo && b === hi && t[j + 2] !== 0) return t[j + 2]! - 1;
      if (t[j + 2] === 0) return -1;
    }
  }

  private put(t: Uint32Array, mask: number, lo: number, hi: number, id: number): void {
    let i = lo & mask;
    while (t[i * 3 + 2] !== 0) i = (i + 1) & mask;
    t[i * 3] = lo; t[i * 3 + 1] = hi; t[i * 3 + 2] = id + 1;
  }

  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    const t = new Uint32Array(cap * 3);
    for (let j = 0; j < old.length; j += 3) if (old[j + 2] !== 0) this.put(t, cap - 1, old[j]!, old[j + 1]!, old[j + 2]! - 1);
    this.t = t;
    this.mask = cap - 1;
  }
}
