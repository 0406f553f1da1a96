// The inode I/O-mode rules of fs/fuse/iomode.c (torvalds/linux a23e1966, v6.9+),
// as checks (what a call would return) and updates (what it does once allowed).
// Paraphrased from the source, not copied. Every design shares these; a design
// only changes what a direct-io mmap and a VMA close do with them (policy.ts).
//
// These run inside guards and effects, once per candidate successor, so they
// switch over the value names (exhaustive through `unreachable`) instead of
// building a ts-pattern matcher per call, which cost 40% of a run.

import { IoMode, OpenFlags, type S } from './state.js';

function unreachable(x: never): never {
  throw new Error(`unhandled value ${String(x)}`);
}

/**
 * fuse_file_cached_io_open, its checks. While the counter is negative with no
 * fuse_backing attached (uncached users that are not passthrough opens: in the
 * kernel only parallel dio writes in flight) it sleeps uninterruptibly in
 * wait_event(fi->direct_io_waitq); after the wait, an attached fuse_backing
 * means the inode went passthrough meanwhile: -ETXTBSY.
 * The model has no dio writes, so the wait can only be reached by a design
 * that lets the counter go negative some other way; it is then reported as
 * HANG and the process is not kept asleep (simplification).
 */
export function cachedIoOpenCheck(s: S): 'OK' | 'HANG' | 'ETXTBSY' {
  if (s.iocachectr < 0 && s.fb === 0) return 'HANG';
  if (s.fb !== 0) return 'ETXTBSY';
  return 'OK';
}

/** fuse_file_cached_io_open once allowed: one reference per file, so a second call is a no-op. */
export function cachedIoOpen(s: S, f: number): void {
  const file = s.file[f];
  if (file.iomode !== IoMode.IOM_NONE) return;
  file.iomode = IoMode.IOM_CACHED;
  s.iocachectr++;
}

/**
 * fuse_inode_uncached_io_start, its checks: a different fuse_backing already
 * attached is -EBUSY (mainline compares the fuse_backing pointers; the model
 * compares backing ids), caching users are -ETXTBSY.
 */
export function uncachedIoStartCheck(s: S, backingId: number): 'OK' | 'EBUSY' | 'ETXTBSY' {
  if (s.fb !== 0 && s.fb !== backingId) return 'EBUSY';
  if (s.iocachectr > 0) return 'ETXTBSY';
  return 'OK';
}

/** fuse_file_uncached_io_open once allowed: the first passthrough opener attaches its fuse_backing. */
export function uncachedIoOpen(s: S, f: number, backingId: number): void {
  s.iocachectr--;
  if (s.fb === 0) s.fb = backingId;
  s.file[f].iomode = IoMode.IOM_UNCACHED;
  s.file[f].backingId = backingId;
}

/**
 * fuse_file_io_open: what open(2) returns for a reply with these open_flags.
 * Every failure is -EIO (its "fail:" label): a wrong open mode is the server's
 * mistake. A FOPEN_DIRECT_IO open takes no reference but is still refused on
 * a passthrough inode. FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO is a passthrough open
 * (FOPEN_DIRECT_IO is inside FOPEN_PASSTHROUGH_MASK); FOPEN_KEEP_CACHE is not,
 * so fuse_file_passthrough_open is -EINVAL for it ("a strange and undesired
 * combination"). The user's O_DIRECT without FOPEN_DIRECT_IO is a caching
 * open ("we put the inode in caching mode to prevent parallel dio": a later
 * fcntl() may clear O_DIRECT). fs/fuse/iomode.c, v6.12 (linux-6.12.y 6.12.19),
 * as a23e1966.
 */
export function openCheck(s: S, flags: number, backingId: number): 'OK' | 'EIO' | 'HANG' {
  const name = OpenFlags.values[flags]!;
  const passthrough = name === 'FOPEN_PASSTHROUGH' || name === 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO' || name === 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE';
  if (s.fb !== 0 && !passthrough) return 'EIO';
  switch (name) {
    case 'FOPEN_DIRECT_IO': case 'FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE': return 'OK';
    case 'FOPEN_PASSTHROUGH':
    case 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO': return uncachedIoStartCheck(s, backingId) === 'OK' ? 'OK' : 'EIO';
    case 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE': return 'EIO';
    case 'caching':
    case 'caching|FOPEN_KEEP_CACHE':
    case 'caching+O_DIRECT': {
      const r = cachedIoOpenCheck(s);
      return r === 'ETXTBSY' ? 'EIO' : r;
    }
    default: return unreachable(name);
  }
}

/** fuse_open after a successful check: the reference the file takes. */
export function takeOpenRef(s: S, f: number, flags: number, backingId: number): void {
  const name = OpenFlags.values[flags]!;
  switch (name) {
    case 'caching': case 'caching|FOPEN_KEEP_CACHE': case 'caching+O_DIRECT': cachedIoOpen(s, f); return;
    case 'FOPEN_DIRECT_IO': case 'FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE': return;
    case 'FOPEN_PASSTHROUGH': case 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO': uncachedIoOpen(s, f, backingId); return;
    case 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE': throw new Error('FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE never opens');
    default: unreachable(name);
  }
}

/**
 * fuse_file_io_release, run from fuse_file_put when the last reference to the
 * file goes. Dropping the last uncached reference detaches the fuse_backing
 * (fuse_inode_uncached_io_end); its wake_up has no sleeper to wake in the model.
 */
export function ioRelease(s: S, f: number): void {
  const mode = IoMode.values[s.file[f].iomode]!;
  switch (mode) {
    case 'IOM_NONE': return;
    case 'IOM_CACHED': s.iocachectr--; return;
    case 'IOM_UNCACHED':
      s.iocachectr++;
      if (s.iocachectr === 0) s.fb = 0;
      return;
    default: unreachable(mode);
  }
}
