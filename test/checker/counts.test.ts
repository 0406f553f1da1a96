import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { benchModel } from '../../spec/bench/index.js';
import { bitsModel, counterModel, firstBitModel } from '../../testkit/models.js';

describe('state counts derived by hand', () => {
  it('counter: n + 1 states, depth n, deadlock at the top', () => {
    const r = check(compile(counterModel, 'plain', { n: 7 }), { continueAfterViolation: true });
    expect(r.distinctStates).toBe(8);
    expect(r.statesGenerated).toBe(8); // the initial state plus one successor per non-final state
    expect(r.depth).toBe(7);
    expect(r.deadlock?.trace.steps).toHaveLength(8);
    expect(r.deadlock?.trace.steps.at(-1)?.state).toEqual({ x: 7 });
  });

  it('bits: 2^k states and depth k', () => {
    const r = check(compile(bitsModel, 'effect', { k: 5 }));
    expect(r.distinctStates).toBe(32);
    expect(r.statesGenerated).toBe(1 + 32 * 5);
    expect(r.depth).toBe(5);
    expect(r.complete).toBe(true);
    expect(r.deadlock).toBeUndefined();
  });

  it('first-bit: k + 1 states whether the state is copied slot by slot (up to 64) or with set (more)', () => {
    for (const k of [40, 64, 65, 96]) {
      const r = check(compile(firstBitModel, 'plain', { k }));
      expect(r.distinctStates, `k=${k}`).toBe(k + 1);
      expect(r.statesGenerated, `k=${k}`).toBe(k + 1);
    }
  });

  it('benchmark model: the counts fixed by bench/dax-modes-bench.md', () => {
    const want: [number, number, number][] = [[1, 1, 30], [1, 2, 102], [2, 2, 10_404], [3, 1, 27_000], [2, 3, 101_124]];
    for (const [files, procs, n] of want) {
      const r = check(compile(benchModel, 'instantiate-only', { files, procs }));
      expect(r.distinctStates, `(${files},${procs})`).toBe(n);
      expect(r.properties[0]!.status).toBe('holds');
    }
  });

  it('benchmark flip-on-ioctl: NoMixedMappings fails with the 5-step trace of the definition', () => {
    const r = check(compile(benchModel, 'flip-on-ioctl', { files: 2, procs: 2 }));
    const p = r.properties.find((x) => x.name === 'NoMixedMappings')!;
    expect(p.status).toBe('violated');
    expect(p.trace!.steps.map((s) => s.label)).toEqual([
      'Init', 'Open(p1, f1)', 'Mmap(p1, f1)', 'Fault(p1, f1)', 'SetFlag(p1, f1, true)', 'Fault(p1, f1)',
    ]);
  });
});
