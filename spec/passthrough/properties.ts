// What must hold on the inode, and the goals that keep the checks honest.
//
// The MAP_PRIVATE question. A MAP_PRIVATE mapping of a FOPEN_DIRECT_IO file
// is a page-cache mapping too (fuse_file_mmap ends in generic_file_mmap), but
// mainline takes no I/O-mode reference for it: only MAP_SHARED "enters
// caching inode io mode" (fs/fuse/file.c fuse_file_mmap, a23e1966, v6.9+).
// Decision: the model keeps MAP_PRIVATE mappings, and states the exclusion
// twice.
// - NoCachedAndPassthroughTogether counts caching opens and MAP_SHARED
//   page-cache mappings only: the coherence FUSE promises (and the
//   "Can't provide the coherency needed for MAP_SHARED" comment guards) is
//   that of shared mappings; what a private mapping shows after later writes
//   through another path is unspecified (POSIX mmap, MAP_PRIVATE).
// - NoPageCacheUserWithPassthrough counts every page-cache mapping, as the
//   comment above FOPEN_PASSTHROUGH_MASK in fs/fuse/iomode.c puts it
//   ("should not co-exist with any users of the fuse inode page cache").
//   Mainline does not enforce this for MAP_PRIVATE; the verdict table shows
//   where, and cache-mmap-taint (which taints on any page-cache mmap, as the
//   seed's "ever mmaped using page cache" reads) does.

import type { Property } from '../../checker/model.js';
import { sharedWriteRefs } from './dio-state.js';
import type { CacheMmapPolicy } from './policy.js';
import { Errno, FileKind, IoMode, RefusedCall, VmaMap, isCachingKind, isPassthroughKind, type S, type Schema, type World } from './state.js';

type Prop = Property<Schema>;

function queries(w: World) {
  const { nf, nv } = w;
  const count = (s: S, kind: number): number => {
    let n = 0;
    for (let f = 0; f < nf; f++) if (s.file[f].kind === kind) n++;
    return n;
  };
  const any = (s: S, kind: number): boolean => count(s, kind) > 0;
  /** Files of the kinds `is` names (isPassthroughKind, isCachingKind). */
  const countOf = (s: S, is: (k: number) => boolean): number => {
    let n = 0;
    for (let f = 0; f < nf; f++) if (is(s.file[f].kind)) n++;
    return n;
  };
  const mapped = (s: S, pred: (s: S, map: number, f: number) => boolean): number => {
    let n = 0;
    for (let v = 0; v < nv; v++) if (s.vma[v].map !== VmaMap.unmapped && pred(s, s.vma[v].map, s.vma[v].file)) n++;
    return n;
  };
  return { count, any, countOf, mapped };
}

const anyMap = () => true;
const sharedPageCache = (_s: S, map: number) => map === VmaMap.MAP_SHARED;
const pageCache = (_s: S, map: number) => map === VmaMap.MAP_SHARED || map === VmaMap.MAP_PRIVATE;
const sharedDirectIo = (s: S, map: number, f: number) => map === VmaMap.MAP_SHARED && s.file[f].kind === FileKind.FOPEN_DIRECT_IO;

const NON_VACUOUS_MODES = ['PassthroughOpened', 'DirectIoMmapped'];
const NON_VACUOUS_COUNTER = ['PassthroughOpened', 'DirectIoMmapped', 'ForkClonedCachedMapping'];

/**
 * The counter against what the live opens and mappings say it should be, as
 * the WARN_ONs of fs/fuse/iomode.c assume it. `expected` is computed from the
 * files, the VMAs and the ghost, never from iocachectr or iomode. "Never
 * underflows" (iocachectr >= -passthrough opens) follows from the equality;
 * IocachectrNoUnderflow states it alone so that its shortest counterexample
 * is the underflow itself rather than the first miscount.
 */
export function modeCounterConsistent(w: World, policy: CacheMmapPolicy): Prop {
  const { nf, counterRange } = w;
  const { countOf, mapped } = queries(w);
  return {
    kind: 'invariant',
    doc: 'fi->iocachectr equals caching opens + direct-io files holding a cached reference (per design) - passthrough opens; '
      + 'each ff->iomode matches its file; the sign matches the mode; fi->fb is set exactly while passthrough files are open, all with its backing id; '
      + `-files <= iocachectr <= files + vmas (${counterRange.lo}..${counterRange.hi})`,
    source: 'fs/fuse/iomode.c (a23e1966, v6.9+): iocachectr, ff->iomode, fuse_inode_backing; the WARN_ONs in fuse_file_cached_io_release and fuse_inode_uncached_io_end',
    nonVacuousIf: NON_VACUOUS_COUNTER,
    holds: (s: S) => {
      const nP = countOf(s, isPassthroughKind);
      // serverOpen=ENOSYS: no file holds an io mode (fuse_file_io_open without ff->args).
      let expected = (w.noOpen ? 0 : countOf(s, isCachingKind)) - nP;
      for (let f = 0; f < nf; f++) {
        const file = s.file[f];
        const dioRef = file.kind === FileKind.FOPEN_DIRECT_IO && policy.directIoFileHoldsRef(file.everMapped);
        if (dioRef) expected++;
        const want = (isCachingKind(file.kind) && !w.noOpen) || dioRef ? IoMode.IOM_CACHED
          : isPassthroughKind(file.kind) ? IoMode.IOM_UNCACHED : IoMode.IOM_NONE;
        if (file.iomode !== want) return false;
        if (isPassthroughKind(file.kind) && file.backingId !== s.fb) return false;
      }
      if (policy.refPerSharedMapping) expected += mapped(s, sharedDirectIo);
      // dioWrites > 0: each shared-lock dio write in flight holds one uncached
      // reference, and keeps an attached fuse_backing after the last
      // passthrough file (fuse_inode_uncached_io_end detaches it at 0).
      const nW = w.dio ? sharedWriteRefs(w.nw, s.dio) : 0;
      expected -= nW;
      const ctr = s.iocachectr;
      return ctr === expected
        && (ctr <= 0 || nP + nW === 0) && (ctr >= 0 || nP + nW > 0)
        && (nP > 0 ? s.fb !== 0 : nW > 0 || s.fb === 0)
        && ctr >= counterRange.lo && ctr <= counterRange.hi;
    },
  };
}

export function propertiesFor(w: World, policy: CacheMmapPolicy): Record<string, Prop> {
  const { nv } = w;
  const { countOf, mapped } = queries(w);
  const passthroughOpen = (s: S) => countOf(s, isPassthroughKind) > 0;
  const cachingOpen = (s: S) => countOf(s, isCachingKind) > 0;

  return {
    NoCachedAndPassthroughTogether: {
      kind: 'invariant',
      doc: 'while a FOPEN_PASSTHROUGH file is open on the inode, no caching open and no MAP_SHARED page-cache mapping exists (so no page-cache I/O can happen)',
      source: 'seed 004 (Amir Goldstein, 6 Dec 2023): "caching and passthrough mode on the same inode cannot mix"; fs/fuse/iomode.c (a23e1966, v6.9+)',
      nonVacuousIf: NON_VACUOUS_MODES,
      holds: (s: S) => !passthroughOpen(s)
        || (!cachingOpen(s) && mapped(s, sharedPageCache) === 0),
    },
    NoPageCacheUserWithPassthrough: {
      kind: 'invariant',
      doc: 'the strict form: while a FOPEN_PASSTHROUGH file is open, no caching open and no page-cache mapping at all, MAP_PRIVATE included',
      source: 'fs/fuse/iomode.c comment above FOPEN_PASSTHROUGH_MASK (a23e1966, v6.9+): "should not co-exist with any users of the fuse inode page cache"',
      strictReading: 'the fs/fuse/iomode.c comment above FOPEN_PASSTHROUGH_MASK read literally, MAP_PRIVATE included; '
        + 'mainline exempts MAP_PRIVATE on purpose (fs/fuse/file.c fuse_file_mmap, v6.9+: a FOPEN_DIRECT_IO MAP_PRIVATE returns generic_file_mmap before fuse_file_cached_io_open), '
        + 'so a violation here is the comment against the code, not a mainline bug',
      nonVacuousIf: NON_VACUOUS_MODES,
      holds: (s: S) => !passthroughOpen(s)
        || (!cachingOpen(s) && mapped(s, pageCache) === 0),
    },
    ModeCounterConsistent: modeCounterConsistent(w, policy),
    IocachectrNoUnderflow: {
      kind: 'invariant',
      doc: 'fi->iocachectr never goes below what the open passthrough files account for: the underflow Amir saw in fuse_vma_close()',
      source: 'seed 004 (Amir Goldstein, 6 Dec 2023): "it keeps underflowing in fuse_vma_close()"',
      nonVacuousIf: NON_VACUOUS_COUNTER,
      holds: (s: S) => s.iocachectr >= -countOf(s, isPassthroughKind) - (w.dio ? sharedWriteRefs(w.nw, s.dio) : 0),
    },

    PassthroughOpened: {
      kind: 'reachable',
      doc: 'a FOPEN_PASSTHROUGH open succeeds',
      reached: passthroughOpen,
    },
    DirectIoMmapped: {
      kind: 'reachable',
      doc: 'a FOPEN_DIRECT_IO file is mapped MAP_SHARED through the page cache',
      reached: (s: S) => mapped(s, sharedDirectIo) > 0,
    },
    ForkClonedCachedMapping: {
      kind: 'reachable',
      doc: 'two processes share a MAP_SHARED page-cache mapping of one FOPEN_DIRECT_IO file (a fork cloned it: a second process can only reach the file through fork)',
      reached: (s: S) => {
        for (let v = 0; v < nv; v++) {
          const a = s.vma[v];
          if (a.map !== VmaMap.MAP_SHARED || s.file[a.file].kind !== FileKind.FOPEN_DIRECT_IO) continue;
          for (let u = v + 1; u < nv; u++) {
            const b = s.vma[u];
            if (b.map === VmaMap.MAP_SHARED && b.file === a.file && b.proc !== a.proc) return true;
          }
        }
        return false;
      },
    },
    PassthroughRefusedWithNoMapping: {
      kind: 'reachable',
      doc: 'the open question: every mapping is gone and only FOPEN_DIRECT_IO opens are left (no caching, no passthrough open), yet the last step was a refused FOPEN_PASSTHROUGH open',
      source: 'seed 004 (Amir Goldstein, 6 Dec 2023): the taint "stays with the file until release"; fs/fuse/file.c fuse_file_mmap "stays in caching io mode until the direct_io file release" (a23e1966)',
      reached: (s: S) => s.refused.call === RefusedCall['Open(FOPEN_PASSTHROUGH)']
        && mapped(s, anyMap) === 0 && !cachingOpen(s) && !passthroughOpen(s),
    },
    CachedOpenBlocks: {
      kind: 'reachable',
      doc: 'diagnostic: a caching open or cached mmap sleeps in wait_event(direct_io_waitq) with no direct-io write in flight to wake it',
      source: 'fs/fuse/iomode.c fuse_file_cached_io_open, fuse_is_io_cache_wait (a23e1966, v6.9+)',
      reached: (s: S) => s.refused.errno === Errno.HANG,
    },
  };
}
