// Parallel direct-io writes at the lock level, and the caching open that
// waits for them (dioWrites > 0; the state is in dio-state.ts). A write of a
// FOPEN_DIRECT_IO file is four steps, as fuse_direct_write_iter runs it
// (fs/fuse/file.c, v6.12):
//   DioWrite      fuse_dio_wr_exclusive_lock chooses the lock, and the thread
//                 takes it (inode_lock_shared / inode_lock) or sleeps on it;
//   DioLockGranted the rwsem hands a sleeping thread its lock;
//   DioCheckMode  under the shared lock, fuse_inode_uncached_io_start(fi, NULL):
//                 0 = the write goes out holding an uncached reference; an
//                 error = inode_unlock_shared, then inode_lock (exclusive);
//   DioWriteDone  the server replied: fuse_dio_unlock (fuse_inode_uncached_io_end
//                 for a shared-lock write, then the unlock).
// And the caching open that finds the counter negative with no fuse_backing
// (fs/fuse/iomode.c fuse_file_cached_io_open, a23e1966 and v6.12):
//   OpenWaits     sets FUSE_I_CACHE_IO_MODE and sleeps in wait_event;
//   OpenWakes     a woken open runs again: asleep again while the wait holds,
//                 -ETXTBSY (open: -EIO) if the inode went passthrough meanwhile,
//                 else it takes its caching reference.
// The wake_up and the bit's other transitions belong to the counter, whichever
// step moves it: `withInodeEvents` runs them after every step.

import { int } from '../../../checker/domain.js';
import { actionsOf, type ActionDef } from '../../../checker/model.js';
import { cachedIoOpen, cachedIoOpenCheck } from '../iomode.js';
import type { DioPolicy } from '../policy.js';
import { DioPhase, WaitPhase, WarnOn } from '../dio-state.js';
import { Errno, FileKind, IoMode, OpenFlags, RefusedCall, type S, type Schema, type World } from '../state.js';

const action = actionsOf<Schema>();

/** v6.12: FUSE_I_CACHE_IO_MODE forces the exclusive lock (2f3d8ff45798), inode-level helpers (4864a6dd8320). */
export const landedDio: DioPolicy = { cacheIoModeForcesExclusive: true, perFileIomode: false };

const writerName = (i: number) => `w${i + 1}`;
const fileName = (f: number) => `file${f + 1}`;
const procName = (p: number) => `p${p + 1}`;

const clearRefused = (s: S): void => { s.refused.call = RefusedCall.none; s.refused.errno = Errno.none; };

/** The inode's rwsem as the writes hold it. */
function lockOf(w: World) {
  const count = (s: S, ...phases: number[]): number => {
    let n = 0;
    for (let i = 0; i < w.nw; i++) if (phases.includes(s.dio[i].phase)) n++;
    return n;
  };
  return {
    /** New readers queue behind a held or waiting writer. */
    sharedFree: (s: S) => count(s, DioPhase.exclusiveInFlight, DioPhase.waitExclusive) === 0,
    exclusiveFree: (s: S) => count(s, DioPhase.lockedShared, DioPhase.sharedInFlight, DioPhase.exclusiveInFlight) === 0,
  };
}

/**
 * What the kernel does whenever fi->iocachectr moves, run after each step:
 * 0 -> positive sets FUSE_I_CACHE_IO_MODE (fuse_file_cached_io_open), back to
 * 0 from above clears it (fuse_file_cached_io_release), back to 0 from below
 * wakes the waiters of direct_io_waitq (fuse_inode_uncached_io_end).
 */
function inodeEvents(s: S, before: number): void {
  const after = s.iocachectr;
  if (before <= 0 && after > 0) s.cacheIoMode = 1;
  if (before > 0 && after <= 0) s.cacheIoMode = 0;
  if (before < 0 && after >= 0 && s.waiter.phase === WaitPhase.sleeping) s.waiter.phase = WaitPhase.woken;
}

/** Every action, with the counter's events after its effect. */
export function withInodeEvents<A extends Record<string, ActionDef<Schema, any>>>(actions: A): A {
  const out: Record<string, ActionDef<Schema, any>> = {};
  for (const [name, a] of Object.entries(actions)) {
    out[name] = {
      ...a,
      effect: (s: S, p: any) => {
        const before = s.iocachectr;
        const r = a.effect(s, p);
        if (r === false) return false;
        inodeEvents(s, before);
        return r;
      },
    };
  }
  return out as A;
}

/**
 * The base actions a write or a waiting open constrains:
 * - Close waits while a dio write holds or waits for the inode lock: close(2)
 *   runs fuse_flush, which in v6.12 takes inode_lock around fuse_sync_writes
 *   (fs/fuse/file.c; later kernels dropped it), so it sleeps until the writes
 *   end; seen on 6.12, where a close beside a held FUSE_WRITE did not return.
 *   (So no struct file is released while a write of it is in flight.)
 * - Exit waits for the process's waiting open, and other opens leave a file
 *   slot free for it;
 * - a caching open that would sleep is OpenWaits, not a refusal;
 * - read/write through the page cache or the backing file waits for the inode lock.
 */
type Constrained = 'Open' | 'OpenRefused' | 'Close' | 'Exit' | 'PageCacheIo' | 'PassthroughIo';

export function constrainForDio<A extends Record<Constrained, ActionDef<Schema, any>>>(w: World, base: A): A {
  const lockBusy = (s: S) => {
    for (let i = 0; i < w.nw; i++) if (s.dio[i].phase !== DioPhase.idle) return true;
    return false;
  };
  const waiting = (s: S, p: number) => s.waiter.phase !== WaitPhase.none && s.waiter.proc === p;
  const freeFiles = (s: S) => {
    let n = 0;
    for (let f = 0; f < w.nf; f++) if (s.file[f].kind === FileKind.free) n++;
    return n;
  };
  return {
    ...base,
    // The waiting open's struct file exists in the kernel already: its model slot stays free for it.
    Open: { ...base.Open, guard: (s: S, a: any) => base.Open.guard!(s, a) && (s.waiter.phase === WaitPhase.none || freeFiles(s) >= 2) },
    Close: { ...base.Close, guard: (s: S, a: any) => base.Close.guard!(s, a) && !lockBusy(s) },
    Exit: { ...base.Exit, guard: (s: S, a: any) => base.Exit.guard!(s, a) && !waiting(s, a.p) },
    // Their write(2) takes inode_lock (fuse_cache_write_iter; fuse_passthrough_write_iter, v6.12): it
    // sleeps while a dio write holds or waits for the lock, and the model's step (read, then write) with it.
    PageCacheIo: { ...base.PageCacheIo, guard: (s: S, a: any) => base.PageCacheIo.guard!(s, a) && !lockBusy(s) },
    PassthroughIo: { ...base.PassthroughIo, guard: (s: S, a: any) => base.PassthroughIo.guard!(s, a) && !lockBusy(s) },
    OpenRefused: {
      ...base.OpenRefused,
      guard: (s: S, a: any) => base.OpenRefused.guard!(s, a) && !(a.flags === OpenFlags.caching && cachedIoOpenCheck(s) === 'HANG'),
    },
  };
}

export function dioActions(w: World, policy: DioPolicy) {
  const { Procs, Files, Writers, nw, nf } = w;
  const lock = lockOf(w);
  const Waiter = int(1, 1);
  const lowestIdle = (s: S): number => {
    for (let i = 0; i < nw; i++) if (s.dio[i].phase === DioPhase.idle) return i;
    return -1;
  };
  const lowestFreeFile = (s: S): number => {
    for (let f = 0; f < nf; f++) if (s.file[f].kind === FileKind.free) return f;
    return -1;
  };
  /** inode_lock after the shared lock was dropped: in flight if no one holds the lock, else asleep on it. */
  const relockExclusive = (s: S, i: number): void => {
    s.dio[i].phase = DioPhase.idle;
    s.dio[i].phase = lock.exclusiveFree(s) ? DioPhase.exclusiveInFlight : DioPhase.waitExclusive;
  };
  /** fuse_inode_uncached_io_start(fi, NULL), or v6.9-rc1's fuse_file_uncached_io_start(inode, ff, NULL): 0 or why not. */
  const uncachedStart = (s: S): 'OK' | 'EBUSY' | 'ETXTBSY' => {
    if (policy.perFileIomode && s.fb !== 0) return 'EBUSY'; // v6.9-rc1: "if (oldfb && oldfb != fb)" with fb NULL
    if (s.iocachectr > 0) return 'ETXTBSY';
    return 'OK';
  };
  const phaseName = (s: S, i: number) => DioPhase.values[s.dio[i].phase]!;

  const DioWrite = action({
    params: { p: Procs, f: Files },
    actor: 'p',
    guard: (s, { p, f }) => s.alive[p] === 1 && s.file[f].heldBy[p] === 1 && s.file[f].kind === FileKind.FOPEN_DIRECT_IO && lowestIdle(s) >= 0,
    effect: (s, { p, f }) => {
      clearRefused(s);
      const i = lowestIdle(s);
      const x = s.dio[i];
      x.file = f; x.proc = p;
      // fuse_dio_wr_exclusive_lock: no FOPEN_PARALLEL_DIRECT_WRITES, or FUSE_I_CACHE_IO_MODE (since 2f3d8ff45798).
      const exclusive = !w.parallelDirectWrites || (policy.cacheIoModeForcesExclusive && s.cacheIoMode === 1);
      if (exclusive) x.phase = lock.exclusiveFree(s) ? DioPhase.exclusiveInFlight : DioPhase.waitExclusive;
      else x.phase = lock.sharedFree(s) ? DioPhase.lockedShared : DioPhase.waitShared;
    },
    guardDoc: 'the process holds the FOPEN_DIRECT_IO file, and a write slot is idle (the write takes the lowest)',
    label: ({ p, f }, before, after) => {
      const i = lowestIdle(before);
      const how: Record<string, string> = {
        lockedShared: 'inode_lock_shared', waitShared: 'sleeps on inode_lock_shared',
        exclusiveInFlight: 'inode_lock, in flight', waitExclusive: 'sleeps on inode_lock',
      };
      return `DioWrite ${procName(p)} ${fileName(f)} -> ${writerName(i)}: ${how[phaseName(after, i)] ?? '?'}`;
    },
    source: 'fs/fuse/file.c fuse_direct_write_iter -> fuse_dio_lock, fuse_dio_wr_exclusive_lock (v6.12; the FUSE_I_CACHE_IO_MODE test returns true since 2f3d8ff45798, false before)',
  });

  const DioLockGranted = action({
    params: { w: Writers },
    guard: (s, { w: i }) => (s.dio[i].phase === DioPhase.waitShared && lock.sharedFree(s))
      || (s.dio[i].phase === DioPhase.waitExclusive && lock.exclusiveFree(s)),
    effect: (s, { w: i }) => {
      clearRefused(s);
      s.dio[i].phase = s.dio[i].phase === DioPhase.waitShared ? DioPhase.lockedShared : DioPhase.exclusiveInFlight;
    },
    guardDoc: 'the write sleeps on the inode lock and the rwsem can grant it (shared: no writer holds or waits; exclusive: no holder)',
    label: ({ w: i }, _before, after) => `DioLockGranted ${writerName(i)}: ${after.dio[i].phase === DioPhase.lockedShared ? 'shared' : 'exclusive, in flight'}`,
    source: 'kernel/locking/rwsem.c (inode->i_rwsem); fs/fuse/file.c fuse_dio_lock (v6.12)',
  });

  const DioCheckMode = action({
    params: { w: Writers },
    guard: (s, { w: i }) => s.dio[i].phase === DioPhase.lockedShared,
    effect: (s, { w: i }) => {
      clearRefused(s);
      if (uncachedStart(s) !== 'OK') { relockExclusive(s, i); return; }
      s.iocachectr--;
      s.dio[i].phase = DioPhase.sharedInFlight;
      if (!policy.perFileIomode) return;
      // v6.9-rc1: the write changes its file's ff->iomode for as long as it is in flight.
      const file = s.file[s.dio[i].file];
      if (file.iomode !== IoMode.IOM_NONE && s.warned === WarnOn.none) s.warned = WarnOn['uncached_io_start: ff->iomode != IOM_NONE'];
      file.iomode = IoMode.IOM_UNCACHED;
    },
    guardDoc: 'the write holds the shared inode lock and has not yet asked for uncached io mode',
    label: ({ w: i }, before) => {
      const r = uncachedStart(before);
      return r === 'OK' ? `DioCheckMode ${writerName(i)}: uncached io start = 0, in flight` : `DioCheckMode ${writerName(i)}: uncached io start = -${r}, relock exclusive`;
    },
    source: policy.perFileIomode
      ? 'v6.9-rc1 fs/fuse/iomode.c fuse_file_uncached_io_start(inode, ff, NULL), as the removed lines of 4864a6dd8320 and 7cc911262835 show it'
      : 'fs/fuse/file.c fuse_dio_lock -> fs/fuse/iomode.c fuse_inode_uncached_io_start(fi, NULL) (a23e1966, v6.12)',
  });

  const DioWriteDone = action({
    params: { w: Writers },
    guard: (s, { w: i }) => s.dio[i].phase === DioPhase.sharedInFlight || s.dio[i].phase === DioPhase.exclusiveInFlight,
    effect: (s, { w: i }) => {
      clearRefused(s);
      const x = s.dio[i];
      if (x.phase === DioPhase.sharedInFlight) {
        if (policy.perFileIomode) {
          const file = s.file[x.file];
          if (file.iomode !== IoMode.IOM_UNCACHED && s.warned === WarnOn.none) s.warned = WarnOn['uncached_io_end: ff->iomode != IOM_UNCACHED'];
          file.iomode = IoMode.IOM_NONE;
        }
        s.iocachectr++;
        if (s.iocachectr === 0) s.fb = 0; // fuse_inode_uncached_io_end detaches the fuse_backing at 0
      }
      x.phase = DioPhase.idle; x.file = 0; x.proc = 0;
    },
    guardDoc: 'the write is in flight (the server replied)',
    label: ({ w: i }, before) => `DioWriteDone ${writerName(i)}${before.dio[i].phase === DioPhase.sharedInFlight ? ': uncached io end, inode_unlock_shared' : ': inode_unlock'}`,
    source: policy.perFileIomode
      ? 'v6.9-rc1 fs/fuse/file.c fuse_dio_unlock -> fuse_file_uncached_io_end(inode, ff) (the removed lines of 4864a6dd8320)'
      : 'fs/fuse/file.c fuse_dio_unlock -> fs/fuse/iomode.c fuse_inode_uncached_io_end (a23e1966, v6.12)',
  });

  const OpenWaits = action({
    params: { p: Procs },
    actor: 'p',
    guard: (s, { p }) => s.alive[p] === 1 && s.waiter.phase === WaitPhase.none && lowestFreeFile(s) >= 0 && cachedIoOpenCheck(s) === 'HANG',
    effect: (s, { p }) => {
      clearRefused(s);
      s.cacheIoMode = 1;
      s.waiter.phase = WaitPhase.sleeping;
      s.waiter.proc = p;
    },
    guardDoc: 'a caching open finds iocachectr < 0 and no fuse_backing (parallel dio writes in flight); one open waits at a time (a bound of the model)',
    label: ({ p }) => `Open(caching) ${procName(p)} sleeps in wait_event(direct_io_waitq)`,
    source: 'fs/fuse/iomode.c fuse_file_cached_io_open: set_bit(FUSE_I_CACHE_IO_MODE), wait_event(fi->direct_io_waitq, !fuse_is_io_cache_wait(fi)) (a23e1966, v6.12)',
  });

  /** What a woken open does when it runs: sleep again, fail, or open. */
  const wakeOutcome = (s: S): 'sleep' | 'ETXTBSY' | 'open' =>
    cachedIoOpenCheck(s) === 'HANG' ? 'sleep' : s.fb !== 0 ? 'ETXTBSY' : 'open';

  const OpenWakes = action({
    params: { waiter: Waiter },
    guard: (s) => s.waiter.phase === WaitPhase.woken,
    effect: (s) => {
      clearRefused(s);
      const outcome = wakeOutcome(s);
      if (outcome === 'sleep') { s.waiter.phase = WaitPhase.sleeping; return; }
      const p = s.waiter.proc;
      s.waiter.phase = WaitPhase.none; s.waiter.proc = 0;
      if (outcome === 'ETXTBSY') {
        s.cacheIoMode = 0;
        s.refused.call = RefusedCall['Open(caching)'];
        s.refused.errno = Errno.EIO;
        return;
      }
      const f = lowestFreeFile(s);
      s.file[f].kind = FileKind.caching;
      s.file[f].heldBy[p] = 1;
      cachedIoOpen(s, f);
    },
    guardDoc: 'the waiting open was woken (iocachectr came back to 0) and runs (its file slot was kept free for it)',
    label: (_a, before) => {
      const p = procName(before.waiter.proc);
      const outcome = wakeOutcome(before);
      return outcome === 'sleep' ? `Open(caching) ${p} wakes and sleeps again`
        : outcome === 'ETXTBSY' ? `Open(caching) ${p} wakes = -EIO (ETXTBSY inside: the inode went passthrough)`
          : `Open(caching) ${p} wakes -> ${fileName(lowestFreeFile(before))}`;
    },
    source: 'fs/fuse/iomode.c fuse_file_cached_io_open after wait_event: the loop re-checks fuse_is_io_cache_wait, then fuse_inode_backing -> -ETXTBSY (a23e1966, v6.12)',
  });

  return { DioWrite, DioLockGranted, DioCheckMode, DioWriteDone, OpenWaits, OpenWakes };
}
