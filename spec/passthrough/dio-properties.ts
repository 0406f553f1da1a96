// What must hold once parallel dio writes are in flight (dioWrites > 0), and
// the goals that show the checks saw them. At dioWrites=0 there are none, so
// the default verdict table has no rows for them.

import { leadsTo, weakFairness, type LivenessProperty, type Property } from '../../checker/model.js';
import { DioPhase, WaitPhase, WarnOn } from './dio-state.js';
import type { S, Schema, World } from './state.js';

export function dioPropertiesFor(w: World): Record<string, Property<Schema> | LivenessProperty<Schema>> {
  if (!w.dio) return {};
  const count = (s: S, phase: number) => {
    let n = 0;
    for (let i = 0; i < w.nw; i++) if (s.dio[i].phase === phase) n++;
    return n;
  };
  const waitingWithBit = (s: S) => s.waiter.phase !== WaitPhase.none && s.cacheIoMode === 1;
  // The wait is over, or no longer the writes' doing: the bit is down, or the
  // inode went passthrough (then its passthrough users decide when it ends).
  const waitOverOrNotTheWrites = (s: S) => s.waiter.phase === WaitPhase.none || s.cacheIoMode === 0 || s.fb !== 0;
  const fair = ['DioLockGranted', 'DioCheckMode', 'DioWriteDone', 'OpenWakes'].map((a) => weakFairness(a, { perInstance: true }));

  return {
    IomodeWarnOnNeverFires: {
      kind: 'invariant',
      doc: 'no step hits a WARN_ON of fs/fuse/iomode.c on ff->iomode (the kernel\'s own assertion that a file\'s mode is what its reference says)',
      source: 'fs/fuse/iomode.c WARN_ONs in fuse_file_uncached_io_start/_end (v6.9-rc1) and fuse_file_uncached_io_open/_release (a23e1966); Amir Goldstein, 7 Apr 2024, <20240407155758.575216-1-amir73il@gmail.com>',
      nonVacuousIf: ['ParallelDioWritesInFlight'],
      holds: (s: S) => s.warned === WarnOn.none,
    },
    CacheIoModeEndsTheWait: {
      kind: 'liveness',
      doc: 'a caching open that sleeps with FUSE_I_CACHE_IO_MODE set eventually returns (or the bit goes down, or the inode goes passthrough), under fair lock grants, mode checks, write completions and wake-ups',
      source: 'fs/fuse/iomode.c fuse_file_cached_io_open: "Setting the bit advises new direct-io writes to use an exclusive lock - without it the wait below might be forever"; commit 2f3d8ff45798',
      formula: leadsTo(waitingWithBit, waitOverOrNotTheWrites),
      trigger: 'CachedOpenWaitsForDio',
      fairness: fair,
    },
    ParallelDioWritesInFlight: {
      kind: 'reachable',
      doc: 'two dio writes are in flight at once under the shared inode lock, each with an uncached reference',
      reached: (s: S) => count(s, DioPhase.sharedInFlight) >= 2,
    },
    CachedOpenWaitsForDio: {
      kind: 'reachable',
      doc: 'a caching open sleeps in wait_event(direct_io_waitq) while parallel dio writes are in flight',
      reached: (s: S) => s.waiter.phase === WaitPhase.sleeping,
    },
    WaiterAsleepWithoutCacheIoMode: {
      kind: 'reachable',
      doc: 'diagnostic: a caching open sleeps in wait_event while FUSE_I_CACHE_IO_MODE is clear, so new dio writes take the shared lock again',
      source: 'fs/fuse/iomode.c: the bit is set only before wait_event, and fuse_file_cached_io_release clears it when the counter goes 1 -> 0 (a23e1966, v6.12)',
      reached: (s: S) => s.waiter.phase === WaitPhase.sleeping && s.cacheIoMode === 0,
    },
  };
}
