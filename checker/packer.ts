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
  /**
   * The statements of a pack, for code generated around it (successor-loop.ts),
   * so that the hot loop has no call: the state vector named `b` is packed into
   * the Uint32Array named `o` at the offset expression `at`, and `onBad` runs
   * (after the words are written) when a slot is outside its domain. Its
   * locals are prefixed `pk_`; the statements form one block.
   */
  packCode(b: string, o: string, at: string, onBad: string): string;
  /**
   * Per word k: for each bit, the slot whose field holds it (-1: none) and
   * that field's mask, so that the slots two packed states differ in are
   * found from the XOR of their words.
   */
  readonly bitSlot: readonly Int32Array[];
  readonly bitMask: readonly Int32Array[];
}

interface Field { readonly word: number; readonly shift: number; readonly bits: number; readonly lo: number; readonly hi: number }

export function makePacker(layout: Layout): Packer {
  const fields: Field[] = [];
  let w = 0;
  let used = 0;
  for (let i = 0; i < layout.slots; i++) {
    const lo = layout.lo[i]!;
    const hi = layout.hi[i]!;
    const range = hi - lo;
    const bits = range === 0 ? 0 : 32 - Math.clz32(range);
    if (used + bits > 32) { w++; used = 0; }
    fields.push({ word: w, shift: used, bits, lo, hi });
    used += bits;
  }
  const words = Math.max(1, w + 1);

  const packLines: string[] = [];
  const unpackLines: string[] = [];
  for (let k = 0; k < words; k++) packLines.push(`let w${k} = 0;`);
  fields.forEach((f, i) => {
    const range = f.hi - f.lo;
    packLines.push(`{ const d = b[${i}] - (${f.lo}); if ((d >>> 0) > ${range}) return ${i}; w${f.word} |= d << ${f.shift}; }`);
    const mask = f.bits === 32 ? '0xffffffff' : `${(2 ** f.bits - 1) >>> 0}`;
    unpackLines.push(`b[${i}] = ((s[at + ${f.word}] >>> ${f.shift}) & ${mask}) + (${f.lo});`);
  });
  for (let k = 0; k < words; k++) packLines.push(`o[at + ${k}] = w${k};`);
  packLines.push('return -1;');

  /**
   * One check for all slots: `bad` gathers, per slot, bits that are nonzero
   * only for a value outside the domain (above the field for a domain 0..2^k-1,
   * the sign of (v - lo) | (hi - v) otherwise; for int32 values and bounds
   * neither wraps into a miss, and a domain of 2^31 values or more may only
   * raise a false alarm, which the caller's exact check dismisses).
   */
  const packCode = (b: string, o: string, at: string, onBad: string): string => {
    const lines: string[] = ['{', 'let pk_bad = 0;'];
    for (let k = 0; k < words; k++) lines.push(`let pk_w${k} = 0;`);
    fields.forEach((f, i) => {
      const v = `pk_v${i}`;
      lines.push(`const ${v} = ${b}[${i}];`);
      if (f.lo === 0 && f.bits > 0 && f.hi === 2 ** f.bits - 1) lines.push(`pk_bad |= ${v} >>> ${f.bits};`);
      else lines.push(`pk_bad |= ((${v} - (${f.lo})) | ((${f.hi}) - ${v})) >>> 31;`);
      if (f.bits > 0) lines.push(f.lo === 0 ? `pk_w${f.word} |= ${v} << ${f.shift};` : `pk_w${f.word} |= (${v} - (${f.lo})) << ${f.shift};`);
    });
    for (let k = 0; k < words; k++) lines.push(`${o}[${at} + ${k}] = pk_w${k};`);
    lines.push(`if (pk_bad !== 0) { ${onBad} }`, '}');
    return lines.join('\n');
  };

  const bitSlot = Array.from({ length: words }, () => new Int32Array(32).fill(-1));
  const bitMask = Array.from({ length: words }, () => new Int32Array(32));
  fields.forEach((f, i) => {
    const mask = f.bits === 0 ? 0 : f.bits === 32 ? -1 : ((2 ** f.bits - 1) << f.shift) | 0;
    for (let b = f.shift; b < f.shift + f.bits; b++) { bitSlot[f.word]![b] = i; bitMask[f.word]![b] = mask; }
  });

  // eslint-disable-next-line no-new-func
  const pack = new Function('b', 'o', 'at', packLines.join('\n')) as Packer['pack'];
  // eslint-disable-next-line no-new-func
  const unpack = new Function('s', 'at', 'b', unpackLines.join('\n')) as Packer['unpack'];
  return { words, pack, unpack, packCode, bitSlot, bitMask };
}
