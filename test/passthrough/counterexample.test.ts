// The counterexamples of vma-close-refcount have the shape seed 004 describes
// (Amir Goldstein, 6 Dec 2023): "maps can be cloned via fork()" and the
// count "keeps underflowing in fuse_vma_close()".

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { passthroughModel } from '../../spec/passthrough/index.js';

const run = check(compile(passthroughModel, 'vma-close-refcount'), { continueAfterViolation: true });
const trace = (property: string) => {
  const p = run.properties.find((x) => x.name === property)!;
  expect(p.status).toBe('violated');
  return p.trace!.steps;
};
const labels = (property: string) => trace(property).slice(1).map((s) => s.label);

describe('vma-close-refcount counterexamples', () => {
  it('the underflow is a fork, then a VMA close of each copy', () => {
    expect(labels('IocachectrNoUnderflow')).toEqual([
      'Open(FOPEN_DIRECT_IO) p1 -> file1',
      'Mmap(MAP_SHARED) p1 file1 -> vma1',
      'Fork p1 -> p2',
      'VmaClose vma1',
      'VmaClose vma2',
    ]);
    const counter = trace('IocachectrNoUnderflow').map((s) => (s.state as { iocachectr: number }).iocachectr);
    // mmap counts once, the fork copy is never counted, both closes subtract.
    expect(counter).toEqual([0, 0, 1, 1, 0, -1]);
  });

  it('ModeCounterConsistent already fails at the fork, before any close (a finding)', () => {
    expect(labels('ModeCounterConsistent')).toEqual([
      'Open(FOPEN_DIRECT_IO) p1 -> file1',
      'Mmap(MAP_SHARED) p1 file1 -> vma1',
      'Fork p1 -> p2',
    ]);
    const last = trace('ModeCounterConsistent').at(-1)!.state as { iocachectr: number; vma: { map: string }[] };
    expect(last.iocachectr).toBe(1);
    expect(last.vma.filter((v) => v.map === 'MAP_SHARED')).toHaveLength(2);
  });

  it('the harm: after a fork and one close, a passthrough open succeeds beside a live MAP_SHARED mapping', () => {
    expect(labels('NoCachedAndPassthroughTogether')).toEqual([
      'Open(FOPEN_DIRECT_IO) p1 -> file1',
      'Mmap(MAP_SHARED) p1 file1 -> vma1',
      'Fork p1 -> p2',
      'VmaClose vma1',
      'Open(FOPEN_PASSTHROUGH backing_id=1) p1 -> file2',
    ]);
    const last = trace('NoCachedAndPassthroughTogether').at(-1)!.state as { vma: { map: string; proc: string }[]; fb: number };
    // the child's copy, which the fork put in the free slot
    expect(last.vma[1]).toMatchObject({ map: 'MAP_SHARED', proc: 'p2' });
    expect(last.fb).toBe(1);
  });
});
