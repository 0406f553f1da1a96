// Partial-order reduction (--por): the same verdicts as the unreduced search
// on every bench design at two sizes, with and without --symmetry, fewer transitions, concrete traces that
// replay; the model's independence claims hold on random reachable states
// (fast-check), and a wrong claim is caught.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, findInstance, type CompiledModel } from '../../checker/compile.js';
import { TransitionCore } from '../../checker/core.js';
import { independenceOf, touchesBreakSymmetry } from '../../checker/por.js';
import { independenceViolation, interference } from '../../checker/por-check.js';
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
        // both reductions: ample sets on the stored representative, successors canonicalised after (por.ts)
        const both = check(cm, { continueAfterViolation: true, por: true, symmetry: true });
        const orbits = check(cm, { continueAfterViolation: true, symmetry: true });
        expect(statuses(both)).toEqual(statuses(plain));
        expect(both.complete).toBe(true);
        expect(both.distinctStates).toBeLessThanOrEqual(orbits.distinctStates);
        expect(both.statesGenerated).toBeLessThan(orbits.statesGenerated);
        expect(both.symmetry?.representedStates).toBeUndefined(); // the orbits stand for the reduced graph's states, not the model's
        for (const p of both.properties) if (p.trace) expect(replay(cm, p.trace)).toEqual(p.trace.steps.map((st) => st.state));
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
      });
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

  it('refuses --por with --symmetry when what an action touches is not the same up to renaming', () => {
    // Open touches f1 whatever file it opens: swapping f1 and f2 does not swap what Open f2 touches.
    const lopsided = {
      ...benchModel,
      build: (c: { files: number; procs: number }, d: Parameters<typeof benchModel.build>[1]) => {
        const parts = benchModel.build(c, d);
        return { ...parts, actions: { ...parts.actions, Open: { ...parts.actions.Open!, touches: () => [0] } } };
      },
    };
    const cm = compile(lopsided, undefined, { files: 2, procs: 1 });
    expect(() => check(cm, { por: true, symmetry: true })).toThrow(/--por with --symmetry: Open.* touches \[f1\], but with f1 and f2 swapped it touches \[f1\], not \[f2\]/);
    expect(check(cm, { por: true }).complete).toBe(true); // alone, either reduction trusts the declaration
    expect(touchesBreakSymmetry(compile(benchModel, undefined, { files: 3, procs: 2 }), independenceOf(compile(benchModel, undefined, { files: 3, procs: 2 }))!)).toBeUndefined();
  });

  it('catches a per-file declaration of dax on random reachable states: a process is one thread inside a write or a fault', () => {
    // What dax would declare if its steps on one file were independent of its steps on another:
    // every action with a file parameter touches that file alone (Fork and Exit: every file).
    const perFile = {
      ...daxModel,
      components: 'f',
      build: (c: Parameters<typeof daxModel.build>[0], d: Parameters<typeof daxModel.build>[1]) => {
        const parts = daxModel.build(c, d);
        const actions = Object.fromEntries(Object.entries(parts.actions).map(([k, a]) =>
          [k, 'f' in a.params ? { ...a, touches: ({ f }: { f: number }) => [f] } : a]));
        return { ...parts, actions };
      },
    } as typeof daxModel;
    const cm = compile(perFile, 'flip-on-ioctl', { files: 2 });
    const found = fc.sample(fc.array(fc.nat(), { minLength: 4, maxLength: 30 }), { numRuns: 60, seed: 7 })
      .map((steps) => independenceViolation(cm, walk(cm, steps))).filter((v) => v !== undefined);
    expect(found.length).toBeGreaterThan(0);
    // waitsWhileBusy (spec/dax/actions/index.ts): entering a write or a fault on one file disables the process's steps on the other
    expect(found.some((v) => /(Write|PageFault|Store).* disables .*p\d f\d/.test(v!))).toBe(true);
  });

  it('finds no file of dax independent where Exit is enabled: Exit(p) interferes with a step of p on every file', () => {
    // Why dax declares no components (README, "Reductions"): wherever Exit(p) is enabled, no set of one
    // file's steps is persistent, at files=2 in every design.
    for (const design of ['instantiate-only', 'flip-on-ioctl', 'virtiofs-v6']) {
      const cm = compile(daxModel, design, { files: 2 });
      const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
      let seen = 0;
      for (const steps of fc.sample(fc.array(fc.nat(), { minLength: 2, maxLength: 30 }), { numRuns: 40, seed: 3 })) {
        const s = walk(cm, steps);
        for (let e = 0; e < cm.instances.length; e++) {
          const exit = cm.instances[e]!;
          if (exit.name !== 'Exit') continue;
          core.cur.set(s);
          if (core.step(exit) !== undefined) continue;
          seen++;
          const p = exit.params.p as number;
          for (let f = 0; f < 2; f++) {
            const clash = cm.instances.some((inst, i) => inst.params.p === p && inst.params.f === f && interference(core, s, e, i) !== undefined);
            expect(clash, `${design}: Exit p${p + 1} and p${p + 1}'s steps on f${f + 1}`).toBe(true);
          }
        }
      }
      expect(seen).toBeGreaterThan(0);
    }
  });

  it('refuses what it does not combine with', () => {
    const cm = compile(benchModel, undefined, { files: 2, procs: 2 });
    expect(() => check(cm, { por: true, strategy: 'dfs' })).toThrow(/--por .* --dfs/);
    expect(() => check(cm, { por: true, workers: 2 })).toThrow(/--por .* --workers/);
    expect(check(cm).partialOrder).toBeUndefined();
  });
});
