// Tracker issue 5's open question: Amir's taint (seed 004) accepts that a
// direct-io file once mapped through the page cache blocks passthrough opens
// until it is released. Is there a state with every mapping gone where a
// passthrough open is still refused, and how long does that last?

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { passthroughModel } from '../../spec/passthrough/index.js';
import { finalState, play } from '../../testkit/passthrough-play.js';

const GOAL = 'PassthroughRefusedWithNoMapping';
const goal = (design: string, constants: Record<string, string | number> = {}) =>
  check(compile(passthroughModel, design, constants), { properties: [GOAL], continueAfterViolation: true })
    .properties.find((p) => p.name === GOAL)!;

describe('the open question', () => {
  it('landed: yes, in 4 steps, through a MAP_SHARED mapping that is already gone', () => {
    const g = goal('landed');
    expect(g.status).toBe('reached');
    expect(g.trace!.steps.slice(1).map((s) => s.label)).toEqual([
      'Open(FOPEN_DIRECT_IO) p1 -> file1',
      'Mmap(MAP_SHARED) p1 file1 -> vma1',
      'VmaClose vma1',
      'Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO',
    ]);
    const s = finalState(g.trace!.steps);
    expect(s.vma.every((v: { map: string }) => v.map === 'unmapped')).toBe(true);
    expect(s.iocachectr).toBe(1);
    expect(s.file[0]).toMatchObject({ kind: 'FOPEN_DIRECT_IO', iomode: 'IOM_CACHED' });
  });

  it('cache-mmap-taint: yes, in 4 steps, and a MAP_PRIVATE mapping is enough', () => {
    const g = goal('cache-mmap-taint');
    expect(g.status).toBe('reached');
    expect(g.trace!.steps.slice(1).map((s) => s.label)).toEqual([
      'Open(FOPEN_DIRECT_IO) p1 -> file1',
      'Mmap(MAP_PRIVATE) p1 file1 -> vma1',
      'VmaClose vma1',
      'Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO',
    ]);
  });

  it('the refusal lasts exactly until the direct-io file is released, in every process', () => {
    for (const design of ['landed', 'cache-mmap-taint']) {
      const t = play(design, [
        ['Open', { flags: 'FOPEN_DIRECT_IO' }],
        ['Mmap', { sharing: 'MAP_SHARED' }],
        ['Fork'],
        ['VmaClose'], ['VmaClose'],
        ['Close', { p: 'p1' }],
        ['OpenRefused', { flags: 'FOPEN_PASSTHROUGH', err: 'EIO' }], // p2 still holds file1
        ['Close', { p: 'p2' }],
        ['Open', { p: 'p1', flags: 'FOPEN_PASSTHROUGH' }],
      ]);
      expect(finalState(t)).toMatchObject({ iocachectr: -1, fb: 1 });
    }
  });

  it('vma-close-refcount: the search is cut, so only "bounded"; with two backing ids a stale fuse_backing refuses instead', () => {
    expect(goal('vma-close-refcount').status).toBe('bounded');
    const g = goal('vma-close-refcount', { backings: 2 });
    expect(g.status).toBe('reached');
    const labels = g.trace!.steps.slice(1).map((s) => s.label);
    expect(labels.at(-1)).toBe('Open(FOPEN_PASSTHROUGH backing_id=2) p1 = -EIO');
    expect(labels).toContain('Fork p1 -> p2');
    // The fuse_backing of the released passthrough file is still attached: the underflow kept
    // iocachectr from reaching 0 in fuse_inode_uncached_io_end.
    expect(finalState(g.trace!.steps)).toMatchObject({ fb: 1, iocachectr: -1 });
  });

  it('without FUSE_DIRECT_IO_ALLOW_MMAP only the taint design still refuses (through MAP_PRIVATE)', () => {
    const off = { directIoAllowMmap: 'false' };
    expect(goal('landed', off).status).toBe('vacuous');
    expect(goal('cache-mmap-taint', off).status).toBe('reached');
  });
});
