// Random simulation for configurations too large to exhaust: fast-check
// draws walks (the first choice picks an initial state, each further one a
// successor among those the transition core generates), checks the safety
// properties and deadlock along each walk, stops a walk at a state outside
// the constraint, and on a failure shrinks the walk to a short one before it
// is reported. A simulation never proves a property; it only finds
// violations, and says which goals and actions its walks reached.

import fc from 'fast-check';
import type { CompiledModel } from './compile.js';
import { Successors, TransitionCore } from './core.js';
import type { Trace } from './result.js';
import { selectProperties } from './select.js';
import { replayInstances } from './trace.js';

export interface SimulationOptions {
  readonly runs?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
  /** Overrides the model's own deadlock setting. */
  readonly checkDeadlock?: boolean;
  /** Only these properties (by name) are checked; goals named by them are kept. */
  readonly properties?: readonly string[];
}

export interface SimulationResult {
  readonly runs: number;
  readonly seed: number;
  readonly maxDepth: number;
  readonly seconds: number;
  /** Steps taken over all walks. */
  readonly steps: number;
  /** The first property a (shrunk) walk broke, with that walk as its trace; 'Deadlock' for a state with no enabled action. */
  readonly violation?: { readonly property: string; readonly trace: Trace };
  /** Per goal: in how many walks it was reached. */
  readonly goals: readonly { readonly name: string; readonly walks: number }[];
  /** Per action: how many steps of all walks took it. */
  readonly coverage: readonly { readonly action: string; readonly taken: number }[];
}

interface Walk {
  readonly init: number;
  /** Instance indices. */
  readonly path: number[];
  readonly failed?: string;
}

export function simulate(cm: CompiledModel, opts: SimulationOptions = {}): SimulationResult {
  const started = performance.now();
  const runs = opts.runs ?? 1000;
  const maxDepth = opts.maxDepth ?? 100;
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const checkDeadlock = opts.checkDeadlock ?? cm.checkDeadlock;
  const selected = selectProperties(cm, opts.properties);
  const core = new TransitionCore(cm, selected);
  // Action properties are checked on the step taken, not on every successor.
  core.openActionProperties(new Uint8Array(selected.actionProperties.length));
  const succ = new Successors(core);
  const inits = cm.inits.filter((init) => core.initial(init));
  if (inits.length === 0) throw new Error(`model ${cm.model}: no initial state (every Init instance refused)`);
  const taken = new Float64Array(cm.actionNames.length);
  const goalWalks = new Float64Array(selected.goals.length);
  const goalSeen = new Uint8Array(selected.goals.length);
  let steps = 0;
  const apFailed: number[] = [];

  /** The first invariant failing on `next` (goals reached are noted), or undefined. */
  const brokenInvariant = (): string | undefined => {
    core.checkNext();
    for (let h = 0; h < core.goalHitCount; h++) {
      const k = core.goalHits[h]!;
      if (!goalSeen[k]) { goalSeen[k] = 1; goalWalks[k]++; }
    }
    return core.invHitCount > 0 ? selected.invariants[core.invHits[0]!]!.name : undefined;
  };

  /** Follows the choices; stops at the first broken property, a deadlock, the constraint or the end of the choices. */
  const walk = (choices: readonly number[]): Walk => {
    const init = inits[(choices[0] ?? 0) % inits.length]!;
    core.initial(init);
    goalSeen.fill(0);
    const path: number[] = [];
    let failed = brokenInvariant();
    for (let c = 1; c < choices.length && !failed; c++) {
      core.cur.set(core.next);
      if (!core.inConstraint()) break;
      core.successors(succ);
      if (succ.count === 0) {
        if (checkDeadlock && !succ.enabled) failed = 'Deadlock';
        break;
      }
      const q = choices[c]! % succ.count;
      const i = succ.inst[q]!;
      core.loadNext(succ.words, q * core.W);
      path.push(i);
      steps++;
      taken[cm.instances[i]!.action]++;
      failed = core.failingActionProperties(i, apFailed) > 0 ? selected.actionProperties[apFailed[0]!]!.name : brokenInvariant();
    }
    return { init: cm.inits.indexOf(init), path, failed };
  };

  /** Runs a fixed path; returns the prefix up to the first failure of `property`, or undefined. */
  const failsBy = (init: number, path: readonly number[], property: string): number[] | undefined => {
    if (!core.initial(cm.inits[init]!)) return undefined;
    const inv = selected.invariants.findIndex((p) => p.name === property);
    const act = selected.actionProperties.findIndex((p) => p.name === property);
    const invFails = () => inv >= 0 && !selected.invariants[inv]!.def.holds(core.nextView);
    if (invFails()) return [];
    for (let k = 0; k < path.length; k++) {
      core.cur.set(core.next);
      if (core.step(cm.instances[path[k]!]!) !== undefined) return undefined;
      if (act >= 0 && !selected.actionProperties[act]!.def.holds(core.curView, cm.instances[path[k]!]!.step, core.nextView)) return path.slice(0, k + 1);
      if (invFails()) return path.slice(0, k + 1);
    }
    if (property === 'Deadlock') {
      core.cur.set(core.next);
      if (core.inConstraint() && !core.anyEnabled()) return [...path];
    }
    return undefined;
  };

  /**
   * fast-check shrinks the list of choices, but a choice is an index among
   * the successors, so dropping one shifts the rest. Dropping whole steps
   * (kept only while the property still fails) removes what the choices could not.
   */
  const minimise = (init: number, path: number[], property: string): number[] => {
    let best = path;
    for (let i = best.length - 1; i >= 0; i--) {
      const shorter = failsBy(init, [...best.slice(0, i), ...best.slice(i + 1)], property);
      if (shorter) { best = shorter; i = Math.min(i, best.length); }
    }
    return best;
  };

  const out = fc.check(
    fc.property(fc.array(fc.noBias(fc.nat({ max: 1 << 16 })), { minLength: 1, maxLength: maxDepth + 1, size: 'max' }), (choices) => walk(choices).failed === undefined),
    { numRuns: runs, seed },
  );
  const seconds = (performance.now() - started) / 1000;
  const report = {
    runs: out.numRuns, seed, maxDepth, seconds, steps,
    goals: selected.goals.map((g, k) => ({ name: g.name, walks: goalWalks[k]! })),
    coverage: cm.actionNames.map((action, a) => ({ action, taken: taken[a]! })),
  };
  if (!out.failed || !out.counterexample) return report;
  const w = walk(out.counterexample[0]);
  const path = minimise(w.init, w.path, w.failed!);
  const trace = replayInstances(cm, cm.inits[w.init]!, path.map((i) => cm.instances[i]!));
  const isAction = selected.actionProperties.some((p) => p.name === w.failed);
  return { ...report, violation: { property: w.failed!, trace: { steps: trace, variables: cm.layout.slotNames, ...(isAction ? { violatingStep: trace.length - 1 } : {}) } } };
}
