// The VMA table kept in canonical form: live VMAs first, sorted by
// (map, file, proc), unmapped slots blank at the end. Two VMAs with the same
// values are interchangeable for every action and property (the model keeps
// no address ranges), so sorting only merges states that differ by slot
// order. This is a reduction of the model's own, done inside the effects.
//
// A new VMA lands after every live VMA whose key is <= its own, so an action
// can name the slot it will occupy (`-> vma2`) before running.

import { VmaMap, type S, type World } from './state.js';

export function vmaTable(w: World) {
  const { nv, nf, np } = w;
  const keyOf = (map: number, file: number, proc: number) => (map * nf + file) * np + proc;
  const key = (s: S, v: number): number => {
    const x = s.vma[v];
    return x.map === VmaMap.unmapped ? Infinity : keyOf(x.map, x.file, x.proc);
  };

  const live = (s: S): number => {
    let n = 0;
    while (n < nv && s.vma[n].map !== VmaMap.unmapped) n++;
    return n;
  };

  const swap = (s: S, a: number, b: number): void => {
    const x = s.vma[a], y = s.vma[b];
    const m = x.map, f = x.file, p = x.proc;
    x.map = y.map; x.file = y.file; x.proc = y.proc;
    y.map = m; y.file = f; y.proc = p;
  };

  const append = (s: S, map: number, file: number, proc: number): void => {
    const at = live(s);
    s.vma[at].map = map; s.vma[at].file = file; s.vma[at].proc = proc;
  };

  /** Insertion sort: stable, so an appended VMA ends after its equals. */
  const sort = (s: S): void => {
    for (let i = 1; i < nv; i++) {
      for (let j = i; j > 0 && key(s, j - 1) > key(s, j); j--) swap(s, j - 1, j);
    }
  };

  return {
    live,
    /** The slot a new VMA with these values would occupy. */
    slotFor(s: S, map: number, file: number, proc: number): number {
      const k = keyOf(map, file, proc);
      let pos = 0;
      while (pos < nv && key(s, pos) <= k) pos++;
      return pos;
    },
    /** Appends a VMA and restores the order; the caller checked there is room. */
    add(s: S, map: number, file: number, proc: number): void {
      append(s, map, file, proc);
      sort(s);
    },
    /** Appends without sorting, for fork's several copies; call sort after. */
    append,
    sort,
    remove(s: S, v: number): void {
      for (let i = v; i + 1 < nv; i++) {
        const a = s.vma[i], b = s.vma[i + 1];
        a.map = b.map; a.file = b.file; a.proc = b.proc;
      }
      const last = s.vma[nv - 1];
      last.map = VmaMap.unmapped; last.file = 0; last.proc = 0;
    },
    /** Whether a live VMA still pins the struct file (page-cache mappings do; backing-file ones do not). */
    pinsFile(s: S, f: number): boolean {
      for (let v = 0; v < nv; v++) {
        const m = s.vma[v].map;
        if ((m === VmaMap.MAP_PRIVATE || m === VmaMap.MAP_SHARED) && s.vma[v].file === f) return true;
      }
      return false;
    },
  };
}
