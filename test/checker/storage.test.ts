import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayOf, bool, enumOf, indexSet, int, record } from '../../checker/domain.js';
import { Layout } from '../../checker/layout.js';
import { makePacker } from '../../checker/packer.js';
import { compile } from '../../checker/compile.js';
import { benchModel } from '../../spec/bench/index.js';
import { StateQueue } from '../../checker/queue.js';
import { FingerprintStore, NO_PARENT } from '../../checker/store.js';
import { BreadthFirstLinks } from '../../checker/store-links.js';
import { check } from '../../checker/search.js';

describe('fingerprint store', () => {
  it('adds each fingerprint once, across many growths, and keeps parent links', () => {
    const s = new FingerprintStore(2 ** 30, 7);
    const ids: number[] = [];
    for (let k = 1; k <= 200_000; k++) ids.push(s.add(Math.imul(k, 0x9e3779b1) >>> 0, k, k - 1, k % 7, k % 50));
    expect(ids.every((id, i) => id === i)).toBe(true);
    let readded = 0;
    for (let k = 1; k <= 200_000; k += 97) if (s.add(Math.imul(k, 0x9e3779b1) >>> 0, k, 0, 0, 0) !== -1) readded++;
    expect(readded).toBe(0);
    expect(s.size).toBe(200_000);
    expect(s.parent(1234)).toBe(1234);
    expect(s.action(1234)).toBe(1235 % 7);
    expect(s.depth(1234)).toBe(1235 % 50);
  });
});

describe('state queue', () => {
  it('is a FIFO for shift and a LIFO for pop across chunk boundaries', () => {
    const q = new StateQueue(2);
    const w = new Uint32Array(2);
    for (let i = 0; i < 150_000; i++) { w[0] = i; w[1] = i * 3; q.push(i, w, 0); }
    const out = new Uint32Array(2);
    let wrong = 0;
    for (let i = 0; i < 70_000; i++) if (q.shift(out) !== i || out[1] !== i * 3) wrong++;
    for (let i = 149_999; i >= 70_000; i--) if (q.pop(out) !== i || out[0] !== i) wrong++;
    expect(wrong).toBe(0);
    expect(q.length).toBe(0);
    w[0] = 42; q.push(7, w, 0);
    expect(q.shift(out)).toBe(7);
    expect(out[0]).toBe(42);
  });
});

describe('packer', () => {
  const layout = new Layout(record({
    flag: bool,
    mode: enumOf('NONE', 'DAX', 'PC'),
    ctr: int(-3, 3),
    big: int(0, 100_000),
    per: arrayOf(indexSet('f', 5), record({ a: bool, v: int(0, 9) })),
  }));
  const packer = makePacker(layout);

  it('round-trips every in-domain state', () => {
    const vec = fc.tuple(...Array.from({ length: layout.slots }, (_, i) => fc.integer({ min: layout.lo[i]!, max: layout.hi[i]! })));
    fc.assert(fc.property(vec, (vals) => {
      const buf = Int32Array.from(vals);
      const words = new Uint32Array(packer.words);
      expect(packer.pack(buf, words, 0)).toBe(-1);
      const back = new Int32Array(layout.slots);
      packer.unpack(words, 0, back);
      expect([...back]).toEqual(vals);
    }));
  });

  it('names the first slot outside its domain', () => {
    const buf = layout.blank();
    buf[2] = 4; // ctr is -3..3
    expect(layout.slotNames[packer.pack(buf, new Uint32Array(packer.words), 0)]).toBe('ctr');
    buf[2] = 0;
    buf[layout.slotNames.indexOf('per[f3].v')] = -1;
    expect(layout.slotNames[packer.pack(buf, new Uint32Array(packer.words), 0)]).toBe('per[f3].v');
  });

  it('gives each slot only the bits it needs, never straddling a word', () => {
    // flag 1 + mode 2 + ctr 3 + big 17 + per[f1] 5 + per[f2].a 1 = 29 bits; per[f2].v (4) starts word 2.
    expect(packer.words).toBe(2);
  });

  it("packs the benchmark's (3,2) state (36 bits) into 2 words", () => {
    expect(makePacker(compile(benchModel, undefined, { files: 3, procs: 2 }).layout).words).toBe(2);
  });
});

describe('breadth-first links', () => {
  it('give back every parent and action of a breadth-first numbering, looked up in any order', () => {
    // A random breadth-first numbering: 3 initial states, then each state in id order reaches 0..40 new ones (some over 255 with one big fan-out).
    const truth: number[] = [NO_PARENT, NO_PARENT, NO_PARENT];
    const links = new BreadthFirstLinks(300);
    truth.forEach((p, id) => links.add(id, p, id % 3));
    let seed = 7;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    for (let x = 0; truth.length < 60_000; x++) {
      const children = x === 500 ? 700 : rand(3) === 0 ? 0 : rand(41);
      for (let c = 0; c < children; c++) { links.add(truth.length, x, truth.length % 300); truth.push(x); }
    }
    const wrong: number[] = [];
    for (let id = 0; id < truth.length; id++) if (links.parent(id) !== truth[id] || links.action(id) !== (id < 3 ? id % 3 : id % 300)) wrong.push(id);
    for (let k = 0; k < 5000; k++) { const id = rand(truth.length); if (links.parent(id) !== truth[id]) wrong.push(id); }
    for (let id = truth.length - 1; id >= 0; id -= 13) if (links.parent(id) !== truth[id]) wrong.push(id);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(() => links.add(truth.length, 3, 0)).toThrow(/breadth-first order/);
  });

  it('keep the benchmark (2,3) in at most 16 bytes a state (the table 80 % to 64 % full, a link in about two bytes)', () => {
    const r = check(compile(benchModel, undefined, { files: 2, procs: 3 }));
    expect(r.distinctStates).toBe(101_124);
    expect(r.storeBytes / r.distinctStates).toBeLessThanOrEqual(16);
  });
});
