// Partial-order reduction (--por): the same verdicts as the unreduced search
// on every bench design at two sizes, fewer transitions, concrete traces that
// replay; the model's independence claims hold on random reachable states
// (fast-check), and a wrong claim is caught.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, findInstance, type CompiledModel } from '../../checker/compile.js';
import { TransitionCore } from '../../checker/core.js';
import { independenceOf } from '../../checker/por.js';
import { independenceViolation } from '../../checker/por-check.js';
import type { CheckResult } from '../../checker/result.js';
import { check } from '../../checker/search.js';
import { benchModel } from '../../spec/bench/index.js';
import { daxModel } from '../../spec/dax/index.js';
import { replay } from '../../testkit/parallel.js';

const statuses = (r: CheckResult) => Object.fromEntries(r.properties.map((p) => [p.name, p.status]));

/** The state a random walk of `steps` (each an index among the enabled instances) reaches from the first initial state. */
function walk(cm: CompiledModel, steps: readonly number[]): Int32Array {
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  core.initial(cm.inits[0]!);
  const s = Int32Array.from(core.next);
  for (const pick of steps) {
    const next: Int32Array[] = [];
    for (const inst of cm.instances) {
      core.cur.set(s);
      if (core.step(inst) === undefined) next.push(Int32Array.from(core.next));
    }
    if (next.length === 0) break;
    s.set(next[pick % next.length]!);
  }
  return s;
}

describe('partial-order reduction', () => {
  for (const [files, procs] of [[2, 2], [2, 3]] as const) {
    for (const design of Object.keys(benchModel.designs)) {
      it(`gives bench ${design} the same verdicts at (${files},${procs}) with fewer transitions`, () => {
        const cm = compile(benchModel, design, { files, procs });
        const plain = check(cm, { continueAfterViolation: true });
        const reduced = check(cm, { continueAfterViolation: true, por: true });
        expect(statuses(reduced)).toEqual(statuses(plain));
        expect(reduced.complete).toBe(true);
        expect(reduced.partialOrder?.components).toBe('f');
        expect(reduced.partialOrder!.reducedStates).toBeGreaterThan(0);
        expect(reduced.statesGenerated).toBeLessThan(plain.statesGenerated);
        expect(reduced.distinctStates).toBeLessThanOrEqual(plain.distinctStates);
        for (const p of reduced.properties) {
          if (!p.trace) continue;
          // a run of the model, ending where the invariant fails; at least as long as the shortest
          expect(replay(cm, p.trace)).toEqual(p.trace.steps.map((s) => s.state));
          const last = new Int32Array(cm.layout.slots);
          cm.layout.encode(p.trace.steps[p.trace.steps.length - 1]!.state, last);
          expect(cm.invariants.find((x) => x.name === p.name)!.def.holds(cm.layout.view(last))).toBe(false);
          const shortest = plain.properties.find((x) => x.name === p.name)!.trace!;
          expect(p.trace.steps.length).toBeGreaterThanOrEqual(shortest.steps.length);
        }
      }, 60_000);
    }
  }

  it('finds bench\'s independence claims true on random reachable states (fast-check)', () => {
    for (const design of Object.keys(benchModel.designs)) {
      const cm = compile(benchModel, design, { files: 3, procs: 1 });
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (steps) => {
        expect(independenceViolation(cm, walk(cm, steps))).toBeUndefined();
      }), { numRuns: 40, seed: 12 });
    }
  });

  it('catches a wrong claim: a step said to touch one file that changes another', () => {
    // Open is declared to touch f1 whatever file it opens: a lie for f2 and f3.
    const liar = {
      ...benchModel,
      build: (c: { files: number; procs: number }, d: Parameters<typeof benchModel.build>[1]) => {
        const parts = benchModel.build(c, d);
        return { ...parts, actions: { ...parts.actions, Open: { ...parts.actions.Open!, touches: () => [0] } } };
      },
    };
    const cm = compile(liar, undefined, { files: 2, procs: 1 });
    const open = findInstance(cm, 'Open', { p: 'p1', f: 'f2' })!;
    const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
    core.initial(cm.inits[0]!);
    const s = Int32Array.from(core.next);
    expect(core.step(open)).toBeUndefined();
    expect(independenceViolation(cm, s)).toMatch(/Open.*changes .*\[f2\], outside the components it declares/);
  });

  it('declares components only where they hold: bench by file; dax and passthrough none yet', () => {
    const bench = independenceOf(compile(benchModel, undefined, { files: 3, procs: 2 }))!;
    expect(Array.from(bench.closed)).toEqual([1, 1, 1]);
    expect(independenceOf(compile(daxModel, undefined, {}))).toBeUndefined();
  });

  it('refuses what it does not combine with', () => {
    const cm = compile(benchModel, undefined, { files: 2, procs: 2 });
    expect(() => check(cm, { por: true, strategy: 'dfs' })).toThrow(/--por .* --dfs/);
    expect(() => check(cm, { por: true, symmetry: true })).toThrow(/--por .* --symmetry/);
    expect(() => check(cm, { por: true, workers: 2 })).toThrow(/--por .* --workers/);
    expect(check(cm).partialOrder).toBeUndefined();
  });
});
