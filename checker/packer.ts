// Bit-packing of a state vector into 32-bit words: each slot takes just the
// bits its domain needs (a boolean one bit, a three-valued enum two), and no
// slot straddles two words. The packed words are what the engine hashes and
// queues, so a state of the benchmark model at (3,2) is two words, not 36.
//
// pack/unpack are generated as straight-line code for the layout (as SPIN
// compiles a verifier for its model); the same code also bound-checks every
// slot, which is how a schema violation is caught without a second pass.

import type { Layout } from './layout.js';

export interface Packer {
  /** Words per packed state. */
  readonly words: number;
  /** Packs `buf` into `out` at `at`; returns -1, or the first slot outside its domain. */
  pack(buf: Int32Array, out: Uint32Array, at: number): number;
  unpack(src: Uint32Array, at: number, buf: Int32Array): void;
}

export function makePacker(layout: Layout): Packer {
  const word: number[] = [];
  const shift: number[] = [];
  const bits: number[] = [];
  let w = 0;
  let used = 0;
  for (let i = 0; i < layout.slots; i++) {
    const range = layout.hi[i]! - layout.lo[i]!;
    const b = range === 0 ? 0 : 32 - Math.clz32(range);
    if (used + b > 32) { w++; used = 0; }
    word.push(w); shift.push(used); bits.push(b);
    used += b;
  }
  const words = Math.max(1, w + 1);

  const packLines: string[] = [];
  const unpackLines: string[] = [];
  for (let k = 0; k < words; k++) packLines.push(`let w${k} = 0;`);
  for (let i = 0; i < layout.slots; i++) {
    const lo = layout.lo[i]!;
    const range = layout.hi[i]! - lo;
    packLines.push(`{ const d = b[${i}] - (${lo}); if ((d >>> 0) > ${range} || d !== d) return ${i}; w${word[i]} |= d << ${shift[i]}; }`);
    const mask = bits[i] === 32 ? '0xffffffff' : `${(2 ** bits[i]! - 1) >>> 0}`;
    unpackLines.push(`b[${i}] = ((s[at + ${word[i]}] >>> ${shift[i]}) & ${mask}) + (${lo});`);
  }
  for (let k = 0; k < words; k++) packLines.push(`o[at + ${k}] = w${k};`);
  packLines.push('return -1;');

  // eslint-disable-next-line no-new-func
  const pack = new Function('b', 'o', 'at', packLines.join('\n')) as Packer['pack'];
  // eslint-disable-next-line no-new-func
  const unpack = new Function('s', 'at', 'b', unpackLines.join('\n')) as Packer['unpack'];
  return { words, pack, unpack };
}
