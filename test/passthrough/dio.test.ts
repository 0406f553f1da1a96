// Parallel direct-io writes at the lock level (dioWrites > 0): hand-written
// scenarios replayed on the model, each step of which must be enabled, and the
// verdicts of the three designs that differ in them. Sources: fs/fuse/file.c
// fuse_dio_lock / fuse_dio_unlock / fuse_dio_wr_exclusive_lock and
// fs/fuse/iomode.c (a23e1966, v6.12 with 2f3d8ff45798); v6.9-rc1 as the
// removed lines of 4864a6dd8320 and 7cc911262835 show it.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { runMatrix } from '../../checker/matrix.js';
import { passthroughModel } from '../../spec/passthrough/index.js';
import { finalState, play } from '../../testkit/passthrough-play.js';

const DIO = { flags: 'FOPEN_DIRECT_IO' } as const;
const PT = { flags: 'FOPEN_PASSTHROUGH' } as const;
const CACHING = { flags: 'caching' } as const;
const one = { dioWrites: 1 };
const two = { dioWrites: 2 };
const ctr = (t: readonly { state: unknown }[]) => t.map((s) => (s.state as { iocachectr: number }).iocachectr);
const phases = (s: any) => s.dio.map((x: { phase: string }) => x.phase);

describe('the default has no dio writes', () => {
  it('dioWrites=0: no dio state variables and no dio actions', () => {
    const s = finalState(play('landed', [['Open', DIO]]));
    for (const v of ['dio', 'cacheIoMode', 'waiter', 'warned']) expect(s).not.toHaveProperty(v);
    expect(() => play('landed', [['Open', DIO], ['DioWrite']])).toThrow(/not enabled/);
    expect(compile(passthroughModel, 'landed', {}).instances.some((i) => i.name.startsWith('Dio') || i.name.startsWith('OpenWa'))).toBe(false);
  });
});

describe('v6.12 (landed): fuse_dio_lock and the uncached reference', () => {
  it('two shared-lock writes in flight hold one uncached reference each, and leave ff->iomode alone', () => {
    const t = play('landed', [
      ['Open', DIO], ['DioWrite', { f: 'file1' }], ['DioWrite', { f: 'file1' }],
      ['DioCheckMode', { w: 'w1' }], ['DioCheckMode', { w: 'w2' }],
      ['DioWriteDone', { w: 'w2' }], ['DioWriteDone', { w: 'w1' }],
    ], two);
    expect(ctr(t)).toEqual([0, 0, 0, 0, -1, -2, -1, 0]);
    expect(t.every((s) => (s.state as any).file[0].iomode === 'IOM_NONE')).toBe(true);
    expect((t[5]!.state as any).warned).toBe('none');
  });

  it('a caching open sleeps while a write is in flight, sets FUSE_I_CACHE_IO_MODE, and the write\'s end wakes it', () => {
    const t = play('landed', [
      ['Open', DIO], ['DioWrite'], ['DioCheckMode'],
      ['OpenWaits', { p: 'p1' }],
      ['DioWriteDone'], ['OpenWakes'],
    ], one);
    expect(t[4]!.label).toBe('Open(caching) p1 sleeps in wait_event(direct_io_waitq)');
    expect((t[4]!.state as any)).toMatchObject({ cacheIoMode: true, waiter: { phase: 'sleeping' } });
    expect((t[5]!.state as any).waiter.phase).toBe('woken');
    const s = finalState(t);
    expect(t.at(-1)!.label).toBe('Open(caching) p1 wakes -> file2');
    expect(s).toMatchObject({ iocachectr: 1, cacheIoMode: true, waiter: { phase: 'none' } });
    expect(s.file[1]).toMatchObject({ kind: 'caching', iomode: 'IOM_CACHED' });
  });

  it('while the bit is set a new write takes the exclusive lock (2f3d8ff45798), so the woken open gets in', () => {
    const t = play('landed', [
      ['Open', DIO], ['DioWrite'], ['DioCheckMode'], ['OpenWaits'],
      ['DioWriteDone'], ['DioWrite'], ['OpenWakes'],
    ], one);
    expect(t[6]!.label).toBe('DioWrite p1 file1 -> w1: inode_lock, in flight');
    expect(finalState(t).iocachectr).toBe(1);
  });

  it('a caching open makes a parallel write exclusive: at once (the bit), or after the mode check (uncached io start = -ETXTBSY)', () => {
    const t = play('landed', [['Open', DIO], ['Open', CACHING], ['DioWrite']], one);
    expect(t.at(-1)!.label).toBe('DioWrite p1 file1 -> w1: inode_lock, in flight');
    const u = play('landed', [['Open', DIO], ['DioWrite'], ['Open', CACHING], ['DioCheckMode']], one);
    expect(u.at(-1)!.label).toBe('DioCheckMode w1: uncached io start = -ETXTBSY, relock exclusive');
    expect(phases(finalState(u))).toEqual(['exclusiveInFlight']);
  });

  it('close(2) waits while a dio write holds the inode lock (fuse_flush takes inode_lock in v6.12)', () => {
    const steps = [['Open', DIO], ['Open', PT], ['DioWrite', { f: 'file1' }], ['DioCheckMode']] as const;
    expect(() => play('landed', [...steps, ['Close', { f: 'file2' }]], one)).toThrow(/step 5, Close/);
    const t = play('landed', [...steps, ['DioWriteDone'], ['Close', { f: 'file2' }]], one);
    expect(ctr(t)).toEqual([0, 0, -1, -1, -2, -1, 0]);
    expect((t.at(-1)!.state as any).fb).toBe(0);
  });

  it('without FOPEN_PARALLEL_DIRECT_WRITES every write is exclusive: the second sleeps on the lock until the first ends', () => {
    const t = play('landed', [
      ['Open', DIO], ['DioWrite'], ['DioWrite'], ['DioWriteDone', { w: 'w1' }], ['DioLockGranted', { w: 'w2' }],
    ], { ...two, parallelDirectWrites: 'false' });
    expect(t.slice(2, 4).map((s) => s.label)).toEqual(['DioWrite p1 file1 -> w1: inode_lock, in flight', 'DioWrite p1 file1 -> w2: sleeps on inode_lock']);
    expect(phases(finalState(t))).toEqual(['idle', 'exclusiveInFlight']);
    expect(ctr(t).every((c) => c === 0)).toBe(true);
  });

});

describe('v6.9 to v6.11 (before 2f3d8ff45798): the bit does not force the exclusive lock', () => {
  it('a new write goes shared while the open waits, so the woken open sleeps again', () => {
    const t = play('dio-shared-under-cache-bit', [
      ['Open', DIO], ['DioWrite'], ['DioCheckMode'], ['OpenWaits'],
      ['DioWriteDone'], ['DioWrite'], ['DioCheckMode'], ['OpenWakes'],
    ], one);
    expect(t[6]!.label).toBe('DioWrite p1 file1 -> w1: inode_lock_shared');
    expect(t.at(-1)!.label).toBe('Open(caching) p1 wakes and sleeps again');
    expect(finalState(t)).toMatchObject({ iocachectr: -1, waiter: { phase: 'sleeping' }, cacheIoMode: true });
  });
});

describe('v6.9-rc1 (before 4864a6dd8320 and 7cc911262835): the write changes ff->iomode', () => {
  it('one write makes its direct-io file IOM_UNCACHED for as long as it is in flight', () => {
    const t = play('dio-file-iomode', [['Open', DIO], ['DioWrite'], ['DioCheckMode'], ['DioWriteDone']], one);
    expect(t.map((s) => (s.state as any).file[0].iomode)).toEqual(['IOM_NONE', 'IOM_NONE', 'IOM_NONE', 'IOM_UNCACHED', 'IOM_NONE']);
  });

  it('two writes of one file in flight hit WARN_ON(ff->iomode != IOM_NONE)', () => {
    const t = play('dio-file-iomode', [['Open', DIO], ['DioWrite'], ['DioWrite'], ['DioCheckMode', { w: 'w1' }], ['DioCheckMode', { w: 'w2' }]], two);
    expect((t[4]!.state as any).warned).toBe('none');
    expect(finalState(t).warned).toBe('uncached_io_start: ff->iomode != IOM_NONE');
  });

  it('an attached fuse_backing makes the write fall back to the exclusive lock (-EBUSY: "oldfb != fb" with fb NULL)', () => {
    const t = play('dio-file-iomode', [['Open', DIO], ['Open', PT], ['DioWrite'], ['DioCheckMode']], one);
    expect(t.at(-1)!.label).toBe('DioCheckMode w1: uncached io start = -EBUSY, relock exclusive');
    const u = play('landed', [['Open', DIO], ['Open', PT], ['DioWrite'], ['DioCheckMode']], one);
    expect(u.at(-1)!.label).toBe('DioCheckMode w1: uncached io start = 0, in flight');
  });
});

describe('verdicts at dioWrites=2 procs=1 vmas=1', () => {
  const m = runMatrix(passthroughModel, { designs: ['landed', 'dio-shared-under-cache-bit', 'dio-file-iomode'], constants: { dioWrites: 2, procs: 1, vmas: 1 } });
  const cell = (d: string, p: string) => m.cells[d]![p];

  it('CacheIoModeEndsTheWait holds only with 2f3d8ff45798; the lasso before it is one write restarting while the open is woken', () => {
    expect(cell('landed', 'CacheIoModeEndsTheWait')).toEqual({ status: 'holds' });
    expect(cell('dio-shared-under-cache-bit', 'CacheIoModeEndsTheWait')).toEqual({ status: 'violated', traceLength: 8 });
    expect(cell('dio-file-iomode', 'CacheIoModeEndsTheWait')).toEqual({ status: 'violated', traceLength: 8 });
  });

  it('the iomode WARN_ON and the counter against the files fail only in v6.9-rc1', () => {
    expect(cell('landed', 'IomodeWarnOnNeverFires')).toEqual({ status: 'holds' });
    expect(cell('dio-shared-under-cache-bit', 'IomodeWarnOnNeverFires')).toEqual({ status: 'holds' });
    expect(cell('dio-file-iomode', 'IomodeWarnOnNeverFires')).toEqual({ status: 'violated', traceLength: 5 });
    expect(cell('dio-file-iomode', 'ModeCounterConsistent')).toEqual({ status: 'violated', traceLength: 3 });
  });

  it('every design reaches the goals that make the checks mean something, and the waiter asleep with the bit clear', () => {
    for (const d of m.designs) {
      for (const g of ['ParallelDioWritesInFlight', 'CachedOpenWaitsForDio']) expect(cell(d, g)?.status, `${d} ${g}`).toBe('reached');
      // v6.12 too: a caching file's release at 1 -> 0 clears the bit after the wake-up, and a new
      // write goes shared before the woken open runs (fs/fuse/iomode.c fuse_file_cached_io_release).
      expect(cell(d, 'WaiterAsleepWithoutCacheIoMode')).toEqual({ status: 'reached', traceLength: 12 });
    }
    for (const r of m.runs) expect(r.complete).toBe(true);
  });
});
