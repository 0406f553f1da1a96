// How much a partial-order reduction over dax's files could save at files=2,
// at most: the share of states where no Exit(p) and no Fork(p,q) is enabled.
// Wherever one is, no set of one file's steps is persistent (README, "Reductions",
// and checker/por.ts): Exit(p) is dependent on a step of p on every file (its
// Open, Close or Munmap there), and Fork(p,q) is disabled by q's Open of any
// file. The files=2 states are estimated as pairs of files=1 states, leaving
// out the pairs where a process would be inside a write or a fault on both
// files (waitsWhileBusy); for a design cut atomically the pairs are exactly
// the files=2 states (the files do not constrain each other's local states).
// usage: node dist/bench/dax-por-bound.js [procs]

import { compile } from '../checker/compile.js';
import { TransitionCore } from '../checker/core.js';
import { daxModel } from '../spec/dax/index.js';

const procs = Number(process.argv[2] ?? 2);
if (!Number.isInteger(procs) || procs < 1 || procs > 8) throw new Error(`procs: an integer 1..8, got ${process.argv[2]}`);

/** Per process, three bits of a files=1 state: holds the file (1), inside a fault (2), inside the flag ioctl (4), inside a write (8). */
const HOLDS = 1, FAULT = 2, IOCTL = 4, WRITE = 8, BITS = 4;

function reachable(design: string): Int32Array[] {
  const cm = compile(daxModel, design, { files: 1, procs });
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const seen = new Map<string, Int32Array>();
  const todo: Int32Array[] = [];
  const add = (s: Int32Array) => { const k = s.join(','); if (!seen.has(k)) { seen.set(k, s); todo.push(s); } };
  for (const init of cm.inits) { core.initial(init); add(Int32Array.from(core.next)); }
  while (todo.length > 0) {
    const s = todo.pop()!;
    for (const inst of cm.instances) { core.cur.set(s); if (core.step(inst) === undefined) add(Int32Array.from(core.next)); }
  }
  const slot = (v: string, p: number) => {
    const k = cm.layout.slotNames.indexOf(`${v}[p${p + 1}][f1]`);
    if (k < 0) throw new Error(`no slot ${v}[p${p + 1}][f1]`);
    return k;
  };
  const out: Int32Array[] = [];
  for (const s of seen.values()) {
    const bits = new Int32Array(procs);
    for (let p = 0; p < procs; p++) {
      bits[p] = (s[slot('fd', p)] !== 0 || s[slot('vma', p)] !== 0 ? HOLDS : 0) | (s[slot('fault', p)] !== 0 ? FAULT : 0)
        | (s[slot('ioctl', p)] !== 0 ? IOCTL : 0) | (s[slot('writePath', p)] !== 0 ? WRITE : 0);
    }
    out.push(bits);
  }
  return out;
}

let all = 0, free = 0;
for (const design of Object.keys(daxModel.designs)) {
  const counts = new Map<number, number>();
  for (const bits of reachable(design)) {
    let key = 0;
    for (let p = 0; p < procs; p++) key |= bits[p]! << (BITS * p);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  let pairs = 0, noProcessStep = 0;
  for (const [a, ca] of counts) {
    for (const [b, cb] of counts) {
      const bit = (p: number, k: number) => (((a | b) >> (BITS * p)) & k) !== 0;
      let busyTwice = false;
      for (let p = 0; p < procs; p++) if (((a >> (BITS * p)) & (FAULT | WRITE)) !== 0 && ((b >> (BITS * p)) & (FAULT | WRITE)) !== 0) busyTwice = true;
      if (busyTwice) continue;
      pairs += ca * cb;
      let blocked = false;
      for (let p = 0; p < procs && !blocked; p++) {
        // Exit(p): holds a file, not inside a fault, the flag ioctl or a write (spec/dax/actions/files.ts)
        if (bit(p, HOLDS) && !bit(p, FAULT | IOCTL | WRITE)) blocked = true;
        // Fork(p,q): p holds a file and is not inside a fault; q holds nothing
        for (let q = 0; q < procs; q++) if (p !== q && bit(p, HOLDS) && !bit(p, FAULT) && !bit(q, HOLDS)) blocked = true;
      }
      if (!blocked) noProcessStep += ca * cb;
    }
  }
  all += pairs;
  free += noProcessStep;
  process.stdout.write(`${design.padEnd(28)} files=1 ${String(n).padStart(7)}  files=2 (pairs) ${String(pairs).padStart(11)}  no Exit/Fork enabled ${String(noProcessStep).padStart(10)} (${(100 * noProcessStep / pairs).toFixed(2)} %)\n`);
}
process.stdout.write(`every design, procs=${procs}: ${all} pairs, ${free} with no Exit or Fork enabled (${(100 * free / all).toFixed(2)} %)\n`);
