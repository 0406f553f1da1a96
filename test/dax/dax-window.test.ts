// The virtiofs DAX window beyond one range per file (issue 15): files of two
// 2 MiB chunks, a window of two ranges shared by more chunks than that, the
// inline reclaim of read(2)/write(2) against the fault path's wait, the
// server refusing FUSE_SETUPMAPPING, and the free-range worker's fairness.
// Each outcome is a `play` scenario through the transition core (a step the
// model refuses ends the scenario) or an exhaustive check, read on
// fs/fuse/dax.c (torvalds/linux 0dc6a06c4843, 6.0-6.5; spec/dax/actions/dax-window.ts).
// Model-only: the VM's qemu has no vhost-user-fs DAX window and there is no
// virtiofsd here, so none of it runs on a kernel.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { play } from '../../cli/play.js';
import { daxModel } from '../../spec/dax/index.js';
import { verdicts } from '../../testkit/dax.js';

type Consts = Record<string, string>;

function scenario(constants: Consts, init: string, steps: string[], expect: string[] = []) {
  const cm = compile(daxModel, 'virtiofs-v6', constants);
  return play(daxModel, cm, steps, { init, expect }).report;
}

const expectationsHold = (r: ReturnType<typeof scenario>) => r.expectations.filter((e) => !e.ok);

describe('a file of two chunks (fileChunks=two): a range per 2 MiB chunk', () => {
  const oneRange = { windowRanges: 'one', fileChunks: 'two', files: '1' };
  const bigDaxFile = 'xflagDax=[true] size=[big]';
  const mapped = ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'PageFault p=p1 f=f1 write=true'];

  it('the first chunk holds the one range; a fault on the second waits, though the file holds a range (no inline reclaim in the fault path)', () => {
    const r = scenario(oneRange, bigDaxFile, [...mapped, 'ChunkFault p=p1 f=f1'],
      ['3:daxRange[f1][chunk1]=true', '3:pte[p1][f1]=dax-rw']);
    expect(expectationsHold(r)).toEqual([]);
    expect(r.refusal?.step).toBe(4);
    expect(r.refusal?.guardDoc).toMatch(/wait_event in __fuse_dax_fault: no inline reclaim in the fault path/);
  });

  it('read(2)/write(2) of the second chunk reclaims the first chunk\'s range inline: its DAX PTE and entries go, and the range is reused', () => {
    const r = scenario(oneRange, bigDaxFile, [...mapped, 'ChunkIo p=p1 f=f1'],
      ['4:daxRange[f1][chunk1]=false', '4:daxRange[f1][chunk2]=true', '4:pte[p1][f1]=none', '4:daxEntries[f1]=false']);
    expect(r.ok).toBe(true);
    expect(r.steps[4]!.label).toMatch(/inline reclaim of chunk1/);
    // The first chunk's data stays right: the next fault needs its range back, and waits for it in turn.
    const back = scenario(oneRange, bigDaxFile, [...mapped, 'ChunkIo p=p1 f=f1', 'PageFault p=p1 f=f1 write=false']);
    expect(back.refusal?.step).toBe(5);
    // read(2) of the first chunk reclaims the second's inline instead of waiting.
    const read = scenario(oneRange, bigDaxFile, [...mapped, 'ChunkIo p=p1 f=f1', 'Read p=p1 f=f1'], ['5:daxRange[f1][chunk1]=true', '5:daxRange[f1][chunk2]=false']);
    expect(read.ok).toBe(true);
  });

  it('the worker frees a range while none is free, chunk by chunk; the waiting fault then gets it', () => {
    const r = scenario(oneRange, bigDaxFile, [...mapped, 'RangeReclaim f=f1 chunk=chunk1', 'ChunkFault p=p1 f=f1', 'PageFault p=p1 f=f1 write=false'],
      ['4:pte[p1][f1]=none', '4:daxEntries[f1]=false', '5:daxRange[f1][chunk2]=true']);
    expect(expectationsHold(r)).toEqual([]);
    expect(r.refusal?.step).toBe(6); // and the first chunk waits now
  });

  it('a file under the size threshold has one chunk: nothing for the second chunk to do', () => {
    const r = scenario({ ...oneRange, policy: 'flag' }, 'xflagDax=[true] size=[small]', ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'ChunkFault p=p1 f=f1']);
    expect(r.refusal?.step).toBe(3);
  });

  it('with enough ranges the second chunk takes one and nobody waits: the verdicts are the default ones, and there is no worker', () => {
    expect(verdicts({ fileChunks: 'two' }, ['virtiofs-v6']).table).toEqual(verdicts({}, ['virtiofs-v6']).table);
    const names = compile(daxModel, 'virtiofs-v6', { fileChunks: 'two' }).actionNames;
    expect(names).toContain('ChunkIo');
    expect(names).not.toContain('RangeReclaim');
  });
});

describe('two ranges for three files (windowRanges=two)', () => {
  const three = { windowRanges: 'two', files: '3' };
  const daxFiles = 'xflagDax=[true,true,true] size=[big,big,big]';
  const f1f2 = ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'PageFault p=p1 f=f1 write=false', 'Open p=p1 f=f2', 'Mmap p=p1 f=f2', 'PageFault p=p1 f=f2 write=false'];

  it('while one range is free the worker is not queued (max(20 % of 2, 1) = 1)', () => {
    const r = scenario(three, daxFiles, [...f1f2.slice(0, 3), 'RangeReclaim f=f1']);
    expect(r.refusal?.step).toBe(4);
    expect(r.refusal?.guardDoc).toMatch(/max\(20 %, 1\) = 1 ranges are free/);
  });

  it('the third file\'s fault and its read wait once both ranges are taken; the worker frees one, and the fault gets it', () => {
    const waits = scenario(three, daxFiles, [...f1f2, 'Open p=p2 f=f3', 'Mmap p=p2 f=f3', 'PageFault p=p2 f=f3 write=false']);
    expect(waits.refusal?.step).toBe(9);
    const read = scenario(three, daxFiles, [...f1f2, 'Open p=p2 f=f3', 'Read p=p2 f=f3']);
    expect(read.refusal?.step).toBe(8);
    expect(read.refusal?.guardDoc).toMatch(/wait_event_killable_exclusive/);
    const served = scenario(three, daxFiles, [...f1f2, 'Open p=p2 f=f3', 'Mmap p=p2 f=f3', 'RangeReclaim f=f2', 'PageFault p=p2 f=f3 write=false'],
      ['9:pte[p1][f2]=none', '10:pte[p2][f3]=dax-ro', '10:daxRange[f1][chunk1]=true']);
    expect(served.ok).toBe(true);
  });

  it('a range a read took is kept after it, and eviction gives every range of the inode back', () => {
    const r = scenario({ ...three, cache: 'none' }, daxFiles, ['Open p=p1 f=f1', 'Read p=p1 f=f1', 'Open p=p1 f=f2', 'Read p=p1 f=f2', 'Close p=p1 f=f1'],
      ['2:daxRange[f1][chunk1]=true', '2:daxEntries[f1]=false', '5:inode[f1]=evicted', '5:daxRange[f1][chunk1]=false', 'daxRange[f2][chunk1]=true']);
    expect(r.ok).toBe(true);
  });
});

describe('FUSE_SETUPMAPPING refused (setupMapping=may-fail)', () => {
  const mayFail = { setupMapping: 'may-fail' };
  const bigDaxFile = 'xflagDax=[true] size=[big]';

  it('a DAX fault whose mapping the server refuses is SIGBUS, and the process dies of it', () => {
    const r = scenario(mayFail, bigDaxFile, ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'FaultSigbus p=p1 f=f1 write=true'],
      ['3:fd[p1][f1]=closed', '3:vma[p1][f1]=none', '3:lastWrite[f1]=0', '3:daxRange[f1][chunk1]=false']);
    expect(r.ok).toBe(true);
    expect(r.steps[3]!.label).toBe('PageFault(write) p1 f1 → FUSE_SETUPMAPPING refused → SIGBUS, p1 killed');
  });

  it('a chunk whose range a read already set up sends no FUSE_SETUPMAPPING at the fault, so nothing can refuse it', () => {
    const r = scenario(mayFail, bigDaxFile, ['Open p=p1 f=f1', 'Read p=p1 f=f1', 'Mmap p=p1 f=f1', 'FaultSigbus p=p1 f=f1 write=false']);
    expect(r.refusal?.step).toBe(4);
    expect(scenario(mayFail, bigDaxFile, ['Open p=p1 f=f1', 'Read p=p1 f=f1', 'Mmap p=p1 f=f1', 'PageFault p=p1 f=f1 write=false']).ok).toBe(true);
  });

  it('with a server that always maps there is no such step', () => {
    expect(compile(daxModel, 'virtiofs-v6', {}).actionNames).not.toContain('FaultSigbus');
    expect(compile(daxModel, 'virtiofs-v6', mayFail).actionNames).toContain('FaultSigbus');
  });
});

describe('the free-range worker\'s fairness: WindowRangeFreed', () => {
  const c = { windowRanges: 'one', fileChunks: 'two', files: '1', versions: '1' };

  it('holds under WF_vars(RangeReclaim), and the data, mapping and statx properties hold with it; no state is stuck', () => {
    const r = check(compile(daxModel, 'virtiofs-v6', c), { properties: ['WindowRangeFreed', 'ReadSeesLastWrite', 'NoMixedMappings', 'StatxTellsTheTruth', 'FaultFollowsMapping'] });
    expect([r.complete, r.deadlock]).toEqual([true, undefined]);
    const status = Object.fromEntries(r.properties.map((p) => [p.name, p.status]));
    expect(status).toMatchObject({ WindowRangeFreed: 'holds', ReadSeesLastWrite: 'holds', NoMixedMappings: 'holds', StatxTellsTheTruth: 'holds', FaultFollowsMapping: 'holds' });
  });

  it('without the worker\'s fairness the window can stay exhausted forever (a lasso)', () => {
    const cm = compile(daxModel, 'virtiofs-v6', c);
    const unfair = { ...cm, liveness: cm.liveness.map((l) => (l.name === 'WindowRangeFreed' ? { ...l, groups: [] } : l)) };
    const r = check(unfair, { properties: ['WindowRangeFreed'] });
    const p = r.properties.find((x) => x.name === 'WindowRangeFreed')!;
    expect(p.status).toBe('violated');
  });

  it('is not a property of a window with enough ranges', () => {
    expect(compile(daxModel, 'virtiofs-v6', {}).liveness.map((l) => l.name)).toEqual(['ModeConverges']);
  });
});
