// The open-flag and backing-id constants on a kernel, without a VM: the
// fixture is what Linux 6.12.117 (Debian, qemu TCG; the program's own FUSE
// server, backing files on tmpfs) printed for four hand-written tours, each
// saved with its constants (test/conform/fixtures/fopen-*.itf.json):
//   t0 FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO (passthroughDirectIo, keepCache),
//   t1 the user's O_DIRECT on a caching reply (userODirect),
//   t2 the backing-id lifecycle at backings=2 (backingIds=ioctl),
//   t3 the ioctls without passthrough negotiated (passthroughInit=not-offered),
//   t4 the page cache across opens (keepCache, userODirect): stale data kept
//      by FOPEN_KEEP_CACHE, dropped by an open without it, by a passthrough
//      open, a direct-io mmap and an O_DIRECT write.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelNamed } from '../../cli/registry.js';
import { parseBoot } from '../../conform/parse.js';
import { fileCases, judgeBoot } from '../../conform/run.js';

const pt = modelNamed('passthrough');
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const tours = ['ptdio', 'odirect', 'backing', 'backing-noinit', 'keep'].map((t) => fixture(`fopen-${t}.itf.json`));
const kernelLog = readFileSync(fixture('fopen-tours.kernel.log'), 'utf8').replace(/\r/g, '');

/** Each disagreement as [trace, step, the first observation that did not agree, or what was missing]. */
const judged = (log: string) => judgeBoot(pt, fileCases(pt, 'landed', tours), ['tmpfs'], log).perFs[0]!;
const where = (log: string) => judged(log).disagreements.map((d) => [d.trace, d.step, d.observed.find((o) => o.agrees === false)?.line ?? d.missing.join(',')]);
const swap = (from: string, to: string) => {
  expect(kernelLog).toContain(from);
  return kernelLog.replace(from, to);
};

describe('the open-flag and backing-id tours on 6.12', () => {
  it('the kernel ran all four to their end, and the set-up probe of the ioctl errors is in t2', () => {
    const b = parseBoot(kernelLog);
    expect(b.runs.map((r) => [r.trace, r.rc, r.done, r.steps.length])).toEqual([['t0', 0, true, 19], ['t1', 0, true, 15], ['t2', 0, true, 21], ['t3', 0, true, 6], ['t4', 0, true, 32]]);
    expect(kernelLog).toContain('server: probe BACKING_OPEN flags=1: EINVAL');
    expect(kernelLog).toContain('server: probe BACKING_CLOSE id=0: EINVAL');
    expect(kernelLog).toContain('server: probe BACKING_CLOSE id=1000: ENOENT');
    expect(kernelLog).toContain('server: probe BACKING_OPEN without CAP_SYS_ADMIN: EPERM');
  });

  it('the landed design, with each tour\'s constants, explains every step', () => {
    const r = judged(kernelLog);
    expect([r.traces, r.steps, r.agreed, r.disagreements]).toEqual([5, 88, 88, []]);
  });

  it('FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO: a read from the backing file, or no FUSE_READ of the user\'s byte, would be caught', () => {
    const step2 = '@obs p1 file1 data server\n@obs p1 file1 ret write 1 0\n@obs server file1 writes 1\n@obs server file1 directreads 1\n';
    expect(where(swap(step2, step2.replace('data server', 'data backing')))).toEqual([['t0', 2, 'p1 file1 data backing']]);
    expect(where(swap(step2, step2.replace('@obs server file1 directreads 1\n', '')))).toEqual([['t0', 2, 'server file1 directreads']]);
  });

  it('O_DIRECT without FOPEN_DIRECT_IO: a passthrough open let in beside it would be caught (caching io mode)', () => {
    const t1 = kernelLog.indexOf('@begin tmpfs t1');
    const refused = '@step 3 Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO\n@obs p1 - ret open -1 EIO\n';
    expect(kernelLog.indexOf(refused, t1)).toBeGreaterThan(t1);
    const log = kernelLog.slice(0, t1) + kernelLog.slice(t1).replace(refused, '@step 3 Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO\n@obs p1 - ret open 13 0\n');
    expect(where(log)).toEqual([['t1', 3, 'p1 - ret open 13 0']]);
  });

  it('the page cache: fresh data where FOPEN_KEEP_CACHE kept the page, or stale data where an open, a direct-io mmap or an O_DIRECT write dropped it, would each be caught', () => {
    const t4 = kernelLog.indexOf('@begin tmpfs t4');
    const dataAt = (step: number, from: string, to: string) => {
      const i = kernelLog.indexOf(`@step ${step} `, t4);
      const j = kernelLog.indexOf(`@obs p1 file1 data ${from}`, i);
      expect(j).toBeGreaterThan(i);
      expect(kernelLog.indexOf('@step', i + 1)).toBeGreaterThan(j);
      return kernelLog.slice(0, j) + `@obs p1 file1 data ${to}` + kernelLog.slice(j + `@obs p1 file1 data ${from}`.length);
    };
    expect(where(dataAt(7, 'stale', 'server'))).toEqual([['t4', 7, 'p1 file1 data server']]);
    for (const step of [10, 16, 22, 30]) expect(where(dataAt(step, 'server', 'stale'))).toEqual([['t4', step, 'p1 file1 data stale']]);
  });

  it('backing ids: an id the kernel reused, a closed id that still opened, or a new id accepted beside the old fuse_backing would each be caught', () => {
    expect(where(swap('@obs server - ret backing_open 2 0', '@obs server - ret backing_open 1 0'))).toEqual([['t2', 10, 'server - ret backing_open 1 0']]);
    const t2 = kernelLog.indexOf('@begin tmpfs t2');
    const at = (step: number, from: string, to: string) => {
      const i = kernelLog.indexOf(`@step ${step} `, t2);
      const j = kernelLog.indexOf(from, i);
      expect(j).toBeGreaterThan(i);
      return kernelLog.slice(0, j) + to + kernelLog.slice(j + from.length);
    };
    expect(where(at(8, '@obs p1 - ret open -1 EIO', '@obs p1 file2 ret open 14 0'))).toEqual([['t2', 8, 'p1 file2 ret open 14 0']]);
    expect(where(at(11, '@obs p1 - ret open -1 EIO', '@obs p1 file2 ret open 14 0'))).toEqual([['t2', 11, 'p1 file2 ret open 14 0']]);
    expect(where(at(9, 'ret backing_close -1 ENOENT', 'ret backing_close 0 0'))).toEqual([['t2', 9, 'server - ret backing_close 0 0']]);
  });
});
