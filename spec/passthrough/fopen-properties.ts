// Goals of the open-flag and backing-id constants (each only under its
// constant, so the default table is unchanged). The invariants need nothing
// new: a FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO file counts as a passthrough open
// and a caching+O_DIRECT file as a caching open in every one of them
// (properties.ts: isPassthroughKind, isCachingKind).

import type { Property } from '../../checker/model.js';
import { BackingIdState, FileKind, ReadData, RefusedCall, VmaMap, isPassthroughKind, type S, type Schema, type World } from './state.js';

type Prop = Property<Schema>;

export function fopenPropertiesFor(w: World): Record<string, Prop> {
  const out: Record<string, Prop> = {};
  const open = (s: S, kind: number) => {
    for (let f = 0; f < w.nf; f++) if (s.file[f].kind === kind) return true;
    return false;
  };
  if (w.replies[3]) {
    out.PassthroughDirectIoMapsBackingFile = {
      kind: 'reachable',
      doc: 'a FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO file is mapped, and the mapping is of the backing file (its read/write still go to the server)',
      source: 'fs/fuse/file.c fuse_file_mmap: fuse_file_passthrough(ff) -> fuse_passthrough_mmap; fs/fuse/iomode.c comment above FOPEN_PASSTHROUGH_MASK (v6.12)',
      reached: (s: S) => {
        for (let v = 0; v < w.nv; v++) if (s.vma[v].map === VmaMap.backing_file && s.file[s.vma[v].file].kind === FileKind['FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO']) return true;
        return false;
      },
    };
  }
  if (w.replies[4]) {
    out.KeepCachePassthroughRefused = {
      kind: 'reachable',
      doc: 'an OPEN reply of FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE makes open(2) fail (-EIO)',
      source: 'fs/fuse/iomode.c fuse_file_passthrough_open: open_flags outside FOPEN_PASSTHROUGH_MASK -> -EINVAL, fuse_file_io_open -> -EIO (v6.12)',
      reached: (s: S) => s.refused.call === RefusedCall['Open(FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE)'],
    };
  }
  if (w.replies[5]) {
    out.ODirectOpenRefusesPassthrough = {
      kind: 'reachable',
      doc: 'only files the user opened with O_DIRECT (answered without FOPEN_DIRECT_IO) are open, no mapping, and a FOPEN_PASSTHROUGH open was just refused: O_DIRECT alone puts the inode in caching io mode',
      source: 'fs/fuse/iomode.c fuse_file_io_open: "if user opens a file open with O_DIRECT, but server did not specify FOPEN_DIRECT_IO, ... we put the inode in caching mode" (v6.12)',
      reached: (s: S) => {
        if (s.refused.call !== RefusedCall['Open(FOPEN_PASSTHROUGH)'] || !open(s, FileKind['caching+O_DIRECT'])) return false;
        for (let f = 0; f < w.nf; f++) if (s.file[f].kind !== FileKind.free && s.file[f].kind !== FileKind['caching+O_DIRECT']) return false;
        for (let v = 0; v < w.nv; v++) if (s.vma[v].map !== VmaMap.unmapped) return false;
        return true;
      },
    };
  }
  if (w.pageCacheData) {
    out.StaleReadThroughPageCache = {
      kind: 'reachable',
      doc: 'a read(2) through the page cache returns data the server has changed since (FUSE\'s cache is not coherent with the server without FUSE_NOTIFY_INVAL_*; only an open without FOPEN_KEEP_CACHE drops it)',
      source: 'fs/fuse/file.c fuse_open: invalidate_inode_pages2 unless FOPEN_KEEP_CACHE; fuse_cache_read_iter (v6.12)',
      reached: (s: S) => s.read === ReadData.stale,
    };
  }
  if (w.backingIoctl) {
    out.PassthroughOnClosedBackingId = {
      kind: 'reachable',
      doc: 'a passthrough file is open whose backing id the server has closed (the inode\'s fuse_backing reference keeps the backing file)',
      source: 'fs/fuse/passthrough.c fuse_backing_close (drops the map\'s reference only), fuse_passthrough_open (fuse_backing_get) (v6.12)',
      reached: (s: S) => {
        for (let f = 0; f < w.nf; f++) if (isPassthroughKind(s.file[f].kind) && s.backingMap[s.file[f].backingId - 1] === BackingIdState.closed) return true;
        return false;
      },
    };
  }
  return out;
}
