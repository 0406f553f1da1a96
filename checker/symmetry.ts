// Symmetry reduction: a model may declare index sets whose elements are
// interchangeable (its processes, its files). Renaming the elements of such a
// set maps every behaviour of the model to another behaviour, so the search
// need keep only one state of each orbit: the least one, lexicographically
// over the slot vector, among all renamings. A renaming moves the slots of
// arrays indexed by the set (`vma[p1][f2]` to `vma[p2][f2]`) and renames the
// values of scalars whose domain is the set (`vma[v].file = file1` to
// `file2`).
//
// The sets here are small (a few files, a few processes), so the orbit's
// least member is found exactly, by trying every renaming: the group is the
// product of the symmetric groups of the declared sets (|G| = Π n!).
// Canonicalising is exact: two states get the same canonical form if and only
// if one is a renaming of the other, so the reduced search stores exactly one
// state per orbit.

import type { Domain, IndexSet } from './domain.js';
import { isScalar } from './domain.js';
import type { Layout } from './layout.js';
import { UsageError } from './errors.js';

/** More renamings than this are refused: canonicalising every successor would cost more than the reduction saves. */
export const MAX_GROUP_ORDER = 40320;

export interface Symmetry {
  /** The index sets whose elements are interchangeable. */
  readonly sets: readonly IndexSet[];
  /** How many renamings there are (the identity included). */
  readonly order: number;
  /** Rewrites `buf` in place to the least member of its orbit. */
  canonicalise(buf: Int32Array): void;
  /** How many states the orbit of `buf` has (|G| / the renamings that fix buf). */
  orbitSize(buf: Int32Array): number;
  /** The renaming g applied to `src`, into `out` (g indexes the group, 0 is the identity). */
  apply(g: number, src: Int32Array, out: Int32Array): void;
}

/** Which declared set `s` is (by its prefix, as the model declares it), or -1. */
function setNo(sets: readonly IndexSet[], s: IndexSet): number {
  return sets.findIndex((x) => x.prefix === s.prefix);
}

/** Every permutation of 0..n-1, the identity first. */
function permutations(n: number): Int32Array[] {
  if (n === 0) return [new Int32Array(0)];
  const out: Int32Array[] = [];
  for (const p of permutations(n - 1)) {
    for (let at = n - 1; at >= 0; at--) {
      const q = new Int32Array(n);
      for (let i = 0, j = 0; i < n; i++) q[i] = i === at ? n - 1 : p[j++]!;
      out.push(q);
    }
  }
  return out;
}

/**
 * For each slot, the array indices on its path: which declared set each
 * index ranges over (-1 for a set that is not declared) and its value.
 */
function slotPaths(d: Domain, sets: readonly IndexSet[]): { set: number[]; idx: number[] }[] {
  const out: { set: number[]; idx: number[] }[] = [];
  const walk = (x: Domain, set: number[], idx: number[]): void => {
    if (isScalar(x)) { out.push({ set, idx }); return; }
    if (x.kind === 'array') {
      const k = setNo(sets, x.index);
      for (let i = 0; i < x.index.size; i++) walk(x.element, [...set, k], [...idx, i]);
      return;
    }
    for (const f of Object.values(x.fields)) walk(f, set, idx);
  };
  walk(d, [], []);
  return out;
}

export function makeSymmetry(layout: Layout, sets: readonly IndexSet[]): Symmetry {
  const n = layout.slots;
  // The group: one permutation per declared set, every combination; element 0 is the identity.
  let group: Int32Array[][] = [[]];
  for (const s of sets) {
    const ps = permutations(s.size);
    const next: Int32Array[][] = [];
    for (const g of group) for (const p of ps) next.push([...g, p]);
    group = next;
  }
  if (group.length > MAX_GROUP_ORDER) {
    throw new UsageError(`--symmetry: the declared sets ${sets.map((s) => `${s.prefix}1..${s.prefix}${s.size}`).join(', ')} have ${group.length} renamings, more than the ${MAX_GROUP_ORDER} the checker tries per state`);
  }
  const paths = slotPaths(layout.schema, sets);
  // Slots are numbered in walk order; find a slot by the same path with renamed indices.
  const keyOf = (p: { idx: number[] }, slotNo: number) => `${slotStem[slotNo]}|${p.idx.join(',')}`;
  const slotStem = layout.slotNames.map((name) => name.replace(/\[[^\]]*\]/g, '[]'));
  const slotAt = new Map<string, number>();
  paths.forEach((p, j) => slotAt.set(keyOf(p, j), j));
  // A scalar valued in a declared set has its value renamed.
  const valueSet = layout.slotDomains.map((d) => (d.kind === 'index' ? setNo(sets, d) : -1));

  // Per renaming g: src[k] is the slot whose value lands in slot k, vmap[k] the offset of its value table in vtab (-1: kept).
  const srcs: Int32Array[] = [];
  const vmaps: Int32Array[] = [];
  const vtabs: Int32Array[] = [];
  for (const g of group) {
    const src = new Int32Array(n);
    paths.forEach((p, j) => {
      const idx = p.idx.map((i, depth) => (p.set[depth]! >= 0 ? g[p.set[depth]!]![i]! : i));
      const dest = slotAt.get(keyOf({ idx }, j));
      if (dest === undefined) throw new Error(`symmetry: no slot for ${layout.slotNames[j]} renamed`);
      src[dest] = j;
    });
    const offsets: number[] = [];
    for (let k = 0; k < sets.length; k++) offsets[k] = k === 0 ? 0 : offsets[k - 1]! + sets[k - 1]!.size;
    const vtab = new Int32Array(sets.reduce((a, s) => a + s.size, 0));
    sets.forEach((s, k) => { for (let i = 0; i < s.size; i++) vtab[offsets[k]! + i] = g[k]![i]!; });
    const vmap = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) { const vs = valueSet[k]!; if (vs >= 0) vmap[k] = offsets[vs]!; }
    srcs.push(src); vmaps.push(vmap); vtabs.push(vtab);
  }

  const tmp = new Int32Array(n);
  const order = group.length;
  const apply = (g: number, s: Int32Array, out: Int32Array): void => {
    const src = srcs[g]!, vmap = vmaps[g]!, vtab = vtabs[g]!;
    for (let k = 0; k < n; k++) {
      const x = s[src[k]!]!;
      const o = vmap[k]!;
      out[k] = o < 0 ? x : vtab[o + x]!;
    }
  };
  return {
    sets,
    order,
    canonicalise: generatedCanonicaliser(srcs, vmaps, vtabs, n, apply),
    orbitSize(buf) {
      let fixed = 1;
      for (let g = 1; g < order; g++) {
        apply(g, buf, tmp);
        let same = true;
        for (let k = 0; k < n && same; k++) same = tmp[k] === buf[k];
        if (same) fixed++;
      }
      return order / fixed;
    },
    apply,
  };
}

/**
 * The canonicaliser as straight-line code, one block per renaming, with the
 * slot numbers and value tables as constants (as the packer is generated):
 * each block compares the renamed state with the least found so far, slot by
 * slot, and stops at the first slot that differs; a smaller one is written
 * over it (by `apply`, out of line: it is the rarer case). Every successor goes through it, so it is the reduction's cost.
 */
function generatedCanonicaliser(srcs: readonly Int32Array[], vmaps: readonly Int32Array[], vtabs: readonly Int32Array[], n: number, write: (g: number, s: Int32Array, out: Int32Array) => void): (buf: Int32Array) => void {
  const tables: Int32Array[] = [];
  const blocks: string[][] = [];
  for (let g = 1; g < srcs.length; g++) {
    const src = srcs[g]!, vmap = vmaps[g]!, vtab = vtabs[g]!;
    const lines = [`  g${g}: {`];
    for (let k = 0; k < n; k++) {
      const o = vmap[k]!;
      let e = `o[${src[k]}]`;
      if (o >= 0) { tables.push(vtab.subarray(o)); e = `T${tables.length - 1}[o[${src[k]}]]`; }
      lines.push(`    v = ${e}; if (v !== b[${k}]) { if (v < b[${k}]) w(${g}, o, b); break g${g}; }`);
    }
    lines.push('  }');
    blocks.push(lines);
  }
  // V8 optimises only functions of modest size, so the blocks are split into
  // chunks of about CHUNK_LINES lines, each a function of its own, called in turn.
  const CHUNK_LINES = 400;
  const perChunk = Math.max(1, Math.floor(CHUNK_LINES / (n + 2)));
  const chunks: string[] = [];
  for (let c = 0; c < blocks.length; c += perChunk) {
    chunks.push([`function c${chunks.length}(o, b) {`, '  let v = 0;', ...blocks.slice(c, c + perChunk).flat(), '}'].join('\n'));
  }
  const body = [
    ...chunks,
    'return function canonicalise(b) {',
    '  o.set(b);',
    ...chunks.map((_, c) => `  c${c}(o, b);`),
    '};',
  ].join('\n');
  // eslint-disable-next-line no-new-func
  const factory = new Function('o', 'w', ...tables.map((_, t) => `T${t}`), body) as (...a: unknown[]) => (buf: Int32Array) => void;
  return factory(new Int32Array(n), write, ...tables);
}

/** The index sets of a schema, by prefix (a model declares its symmetric sets by prefix). */
export function indexSetsOf(d: Domain, out = new Map<string, IndexSet>()): Map<string, IndexSet> {
  if (d.kind === 'index') { out.set(d.prefix, d); return out; }
  if (d.kind === 'array') { out.set(d.index.prefix, d.index); indexSetsOf(d.element, out); return out; }
  if (d.kind === 'record') for (const f of Object.values(d.fields)) indexSetsOf(f, out);
  return out;
}
