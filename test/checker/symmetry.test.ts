// Symmetry reduction (--symmetry): the same verdicts and shortest trace
// lengths as the unreduced search for every built-in design that declares
// symmetric sets, concrete traces that replay step by step, one state per
// orbit (counted by hand on the benchmark model), and the orbits standing for
// exactly the unreduced state count.

import { describe, expect, it } from 'vitest';
import { compile, findInstance, type CompiledModel } from '../../checker/compile.js';
import { TransitionCore } from '../../checker/core.js';
import type { CheckResult, PropertyResult } from '../../checker/result.js';
import { check, type SearchOptions } from '../../checker/search.js';
import { makeSymmetry } from '../../checker/symmetry.js';
import { benchModel } from '../../spec/bench/index.js';
import { passthroughModel } from '../../spec/passthrough/index.js';
import { daxModel } from '../../spec/dax/index.js';
import { builtInSource, replay } from '../../testkit/parallel.js';

/** What the verdict table shows of a run: each safety property's status and trace length (symmetry leaves liveness out). */
function verdicts(r: CheckResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of r.properties) if (p.kind !== 'liveness') out[p.name] = p.trace ? `${p.status} (${p.trace.steps.length - 1})` : p.status;
  if (r.deadlock) out.Deadlock = `deadlock (${r.deadlock.trace.steps.length - 1})`;
  return out;
}

/** A trace is a run of the model: every step replays to the recorded state, and the property fails where it says. */
function expectConcreteTrace(cm: CompiledModel, p: PropertyResult): void {
  const t = p.trace!;
  expect(replay(cm, t), `${cm.design} ${p.name}`).toEqual(t.steps.map((s) => s.state));
  const last = new Int32Array(cm.layout.slots);
  cm.layout.encode(t.steps[t.steps.length - 1]!.state, last);
  const view = cm.layout.view(last);
  if (p.kind === 'invariant') expect(cm.invariants.find((x) => x.name === p.name)!.def.holds(view), `${cm.design} ${p.name} fails at the end`).toBe(false);
  if (p.kind === 'reachable') expect(cm.goals.find((x) => x.name === p.name)!.def.reached(view)).toBe(true);
  if (p.kind === 'action') {
    const before = new Int32Array(cm.layout.slots);
    cm.layout.encode(t.steps[t.steps.length - 2]!.state, before);
    const step = t.steps[t.steps.length - 1]!;
    const inst = findInstance(cm, step.action, step.params)!;
    expect(cm.actionProperties.find((x) => x.name === p.name)!.def.holds(cm.layout.view(before), inst.step, view), `${cm.design} ${p.name} fails on the last step`).toBe(false);
  }
}

function compareWithAndWithout(cm: CompiledModel, opts: SearchOptions = {}): { plain: CheckResult; reduced: CheckResult } {
  const plain = check(cm, { ...opts, continueAfterViolation: true });
  const reduced = check(cm, { ...opts, continueAfterViolation: true, symmetry: true });
  const where = `${cm.model} ${cm.design} ${JSON.stringify(cm.constants)}`;
  expect(reduced.symmetry?.sets, where).toEqual(cm.symmetric.map((s) => s.prefix));
  expect(verdicts(reduced), where).toEqual(verdicts(plain));
  // the liveness properties are left out under symmetry, and the run says so
  expect(reduced.properties.some((p) => p.kind === 'liveness'), where).toBe(false);
  if (cm.liveness.length > 0) expect(reduced.livenessSkipped, where).toContain('(no --symmetry)');
  // Exact canonical forms: the orbits stand for exactly the states of the unreduced search
  // (a run its state constraint cuts short, as vma-close-refcount's, reports no such count).
  if (plain.complete) expect(reduced.symmetry?.representedStates, where).toBe(plain.distinctStates);
  expect(reduced.complete, where).toBe(plain.complete);
  expect(reduced.distinctStates, where).toBeLessThan(plain.distinctStates);
  for (const p of reduced.properties) if (p.trace) expectConcreteTrace(cm, p);
  return { plain, reduced };
}

describe('symmetry reduction', () => {
  for (const procs of [2, 3]) {
    for (const design of Object.keys(daxModel.designs)) {
      it(`gives dax ${design} the same verdicts at files=1 procs=${procs}`, () => { compareWithAndWithout(compile(daxModel, design, { procs })); });
    }
  }

  for (const design of ['instantiate-only', 'flip-on-ioctl']) {
    it(`gives dax ${design} the same verdicts at files=2 procs=1`, () => { compareWithAndWithout(compile(daxModel, design, { files: 2, procs: 1 })); });
  }

  // The file and VMA slots: (2,2,2) renames both; (1,3,3) three VMA slots among three processes.
  for (const [files, vmas, procs] of [[2, 2, 2], [1, 3, 3]] as const) {
    for (const design of Object.keys(passthroughModel.designs)) {
      it(`gives passthrough ${design} the same verdicts at files=${files} vmas=${vmas} procs=${procs}`, () => {
        compareWithAndWithout(compile(passthroughModel, design, { files, vmas, procs }));
      });
    }
  }

  for (const [files, procs, design] of [[2, 2, 'instantiate-only'], [2, 2, 'flip-on-ioctl'], [2, 3, 'instantiate-only'], [3, 1, 'flip-on-ioctl']] as const) {
    it(`gives bench ${design} the same verdicts at (${files},${procs})`, () => { compareWithAndWithout(compile(benchModel, design, { files, procs })); });
  }

  // bench's files never interact, so its reachable states are R^F, with R the
  // states of one file (|R| = 102 at P=2: 102^3 = 1,061,208 in the benchmark's
  // definition). Renaming the files alone, an orbit is a multiset of F
  // elements of R: C(|R| + F - 1, F) of them.
  it('stores one state per orbit: C(|R|+F-1, F) multisets of per-file states when only the files are renamed', () => {
    const filesOnly = { ...benchModel, symmetric: ['f'] };
    const r1 = check(compile(benchModel, undefined, { files: 1, procs: 2 })).distinctStates;
    expect(r1).toBe(102);
    const choose = (n: number, k: number) => { let x = 1; for (let i = 0; i < k; i++) x = (x * (n - i)) / (i + 1); return x; };
    for (const files of [2, 3]) {
      const r = check(compile(filesOnly, undefined, { files, procs: 2 }), { symmetry: true });
      expect(r.distinctStates, `files=${files}`).toBe(choose(r1 + files - 1, files)); // 5,253 and 182,104
      expect(r.symmetry?.representedStates).toBe(r1 ** files);
    }
  });

  // Renaming the processes at F=1, P=2: the group is {identity, swap}, so by
  // Burnside's lemma the orbits are (|R| + |R fixed by the swap|) / 2.
  it('counts orbits by Burnside when the processes are renamed (F=1, P=2)', () => {
    const cm = compile(benchModel, undefined, { files: 1, procs: 2 });
    const r = check(cm, { symmetry: true });
    const sym = makeSymmetry(cm.layout, cm.symmetric);
    expect(sym.order).toBe(2);
    // R enumerated apart from the engine; a state is fixed by the swap when p1 and p2 hold the file alike.
    const states = reachableStates(cm);
    expect(states.length).toBe(102);
    const fixed = states.filter((s) => sym.orbitSize(s) === 1).length;
    expect(r.distinctStates).toBe((states.length + fixed) / 2);
  });

  it('gives the same counts, verdicts and traces on 1 and 2 workers and the same orbits depth-first', () => {
    const cm = compile(daxModel, 'flip-on-ioctl', { procs: 3 });
    const one = check(cm, { symmetry: true, continueAfterViolation: true });
    const two = check(cm, { symmetry: true, continueAfterViolation: true, workers: 2, modelSource: builtInSource('dax') });
    // livenessSkipped names the first option that rules liveness out, which differs
    const strip = ({ seconds, statesPerSecond, peakRssBytes, storeBytes, livenessSkipped, ...rest }: CheckResult) => { void seconds; void statesPerSecond; void peakRssBytes; void storeBytes; void livenessSkipped; return rest; };
    expect(strip(two)).toEqual(strip(one));
    const dfs = check(cm, { symmetry: true, continueAfterViolation: true, strategy: 'dfs' });
    expect(dfs.distinctStates).toBe(one.distinctStates);
    expect(dfs.symmetry?.representedStates).toBe(one.symmetry?.representedStates);
  });

  it('is off unless asked, and a model that declares nothing is not reduced', () => {
    const cm = compile(benchModel, undefined, { files: 2, procs: 2 });
    expect(check(cm).symmetry).toBeUndefined();
    const noSets = compile({ ...benchModel, symmetric: [] }, undefined, { files: 2, procs: 2 });
    const r = check(noSets, { symmetry: true });
    expect(r.symmetry).toBeUndefined();
    expect(r.distinctStates).toBe(10_404);
  });

  it('refuses a declared set the state does not have', () => {
    expect(() => compile({ ...benchModel, symmetric: ['q'] }, undefined, {})).toThrow(/declares index set 'q' symmetric.*it has: f, p/);
  });
});

/** Every reachable state of a small model, unreduced, by a plain breadth-first walk over decoded keys (independent of the engine's store). */
function reachableStates(cm: CompiledModel): Int32Array[] {
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const seen = new Map<string, Int32Array>();
  const todo: Int32Array[] = [];
  for (const init of cm.inits) {
    if (!core.initial(init)) continue;
    const s = Int32Array.from(core.next);
    if (!seen.has(s.join())) { seen.set(s.join(), s); todo.push(s); }
  }
  while (todo.length) {
    const s = todo.shift()!;
    for (const inst of cm.instances) {
      core.cur.set(s);
      if (core.step(inst) !== undefined) continue;
      const t = Int32Array.from(core.next);
      if (!seen.has(t.join())) { seen.set(t.join(), t); todo.push(t); }
    }
  }
  return [...seen.values()];
}
