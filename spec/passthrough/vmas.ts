// The VMA table: nv slots, each unmapped or holding one VMA (map, file,
// proc). A slot is only a place: which slot a VMA sits in means nothing (the
// model keeps no address ranges), so the model declares the VMA slots
// symmetric (index.ts) and `--symmetry` keeps one state per arrangement of
// the same VMAs. A step that makes a VMA names the free slot it takes (Mmap,
// Split: a parameter of theirs); a fork, which makes several at once, puts
// its copies in the free slots in ascending order, each arrangement of them
// being a renaming of that one.

import { VmaMap, type S, type World } from './state.js';

export function vmaTable(w: World) {
  const { nv } = w;

  /** How many slots hold a VMA. */
  const live = (s: S): number => {
    let n = 0;
    for (let v = 0; v < nv; v++) if (s.vma[v].map !== VmaMap.unmapped) n++;
    return n;
  };

  const put = (s: S, v: number, map: number, file: number, proc: number): void => {
    s.vma[v].map = map; s.vma[v].file = file; s.vma[v].proc = proc;
  };

  return {
    live,
    /** Whether slot v is free for a new VMA. */
    free: (s: S, v: number): boolean => s.vma[v].map === VmaMap.unmapped,
    /** Puts a VMA in slot v; the caller checked that it is free. */
    put,
    /** Copies every VMA of process `from` into the free slots, in ascending order, as process `to`'s; the caller checked there is room. */
    copyAll(s: S, from: number, to: number): void {
      let at = 0;
      const n = nv;
      for (let v = 0; v < n; v++) {
        const x = s.vma[v];
        if (x.map === VmaMap.unmapped || x.proc !== from) continue;
        while (s.vma[at].map !== VmaMap.unmapped) at++;
        put(s, at, x.map, x.file, to);
      }
    },
    /**
     * Frees slot v. Its `file` is left as it was: a blank file1 would not be
     * renamed along with the files (a renaming of file1 to file2 would turn
     * a freed slot into one no step makes), so a freed slot keeps naming the
     * file it mapped, which nothing reads. `proc` is blanked: the processes
     * are not declared symmetric.
     */
    remove(s: S, v: number): void {
      s.vma[v].map = VmaMap.unmapped; s.vma[v].proc = 0;
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
