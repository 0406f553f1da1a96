// Random simulation for configurations too large to exhaust: fast-check
// draws walks (a list of choices among the enabled actions at each step),
// checks the safety properties along each walk, and on a failure shrinks the
// walk to a short one before it is reported. A simulation never proves a
// property; it only finds violations.

import fc from 'fast-check';
import type { ActionInstance, CompiledModel } from './compile.js';
import type { Trace } from './result.js';
import { replayInstances } from './trace.js';

export interface SimulationOptions {
  readonly runs?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
}

export interface SimulationResult {
  readonly runs: number;
  readonly seed: number;
  readonly maxDepth: number;
  readonly seconds: number;
  /** The first property a (shrunk) walk broke, with that walk as its trace. */
  readonly violation?: { readonly property: string; readonly trace: Trace };
}

interface Walk { readonly path: ActionInstance[]; readonly failed?: string }

export function simulate(cm: CompiledModel, opts: SimulationOptions = {}): SimulationResult {
  const started = performance.now();
  const runs = opts.runs ?? 1000;
  const maxDepth = opts.maxDepth ?? 100;
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const { layout } = cm;
  const cur = layout.blank();
  const next = layout.blank();
  const curView = layout.view(cur);
  const nextView = layout.view(next);

  /** Follows the choices from the first initial state; stops at the first broken property or a dead end. */
  const walk = (choices: readonly number[]): Walk => {
    const init = cm.inits[0]!;
    next.set(layout.lo);
    init.effect(nextView, init.params);
    const path: ActionInstance[] = [];
    const broken = () => cm.invariants.find((p) => !p.def.holds(nextView as never))?.name;
    let failed = broken();
    for (const choice of choices) {
      if (failed) break;
      cur.set(next);
      const enabled: ActionInstance[] = [];
      for (const inst of cm.instances) {
        if (inst.guard && !inst.guard(curView, inst.params)) continue;
        next.set(cur);
        if (inst.effect(nextView, inst.params) !== false) enabled.push(inst);
      }
      if (enabled.length === 0) break;
      const inst = enabled[choice % enabled.length]!;
      next.set(cur);
      inst.effect(nextView, inst.params);
      path.push(inst);
      failed = cm.actionProperties.find((p) => !p.def.holds(curView as never, inst.step, nextView as never))?.name ?? broken();
    }
    return { path, failed };
  };

  /** Runs a fixed path; returns the prefix up to the first failure of `property`, or undefined. */
  const failsBy = (path: readonly ActionInstance[], property: string): ActionInstance[] | undefined => {
    const init = cm.inits[0]!;
    next.set(layout.lo);
    init.effect(nextView, init.params);
    const inv = cm.invariants.find((p) => p.name === property);
    const act = cm.actionProperties.find((p) => p.name === property);
    if (inv && !inv.def.holds(nextView as never)) return [];
    for (let k = 0; k < path.length; k++) {
      const inst = path[k]!;
      cur.set(next);
      if (inst.guard && !inst.guard(curView, inst.params)) return undefined;
      if (inst.effect(nextView, inst.params) === false) return undefined;
      if (act && !act.def.holds(curView as never, inst.step, nextView as never)) return path.slice(0, k + 1);
      if (inv && !inv.def.holds(nextView as never)) return path.slice(0, k + 1);
    }
    return undefined;
  };

  /**
   * fast-check shrinks the list of choices, but a choice is an index among
   * the enabled actions, so dropping one shifts the rest. Dropping whole steps
   * (kept only while the property still fails) removes what the choices could not.
   */
  const minimise = (path: ActionInstance[], property: string): ActionInstance[] => {
    let best = path;
    for (let i = best.length - 1; i >= 0; i--) {
      const shorter = failsBy([...best.slice(0, i), ...best.slice(i + 1)], property);
      if (shorter) { best = shorter; i = Math.min(i, best.length); }
    }
    return best;
  };

  const out = fc.check(
    fc.property(fc.array(fc.noBias(fc.nat({ max: 1 << 16 })), { maxLength: maxDepth, size: 'max' }), (choices) => walk(choices).failed === undefined),
    { numRuns: runs, seed },
  );
  const seconds = (performance.now() - started) / 1000;
  if (!out.failed || !out.counterexample) return { runs: out.numRuns, seed, maxDepth, seconds };
  const w = walk(out.counterexample[0]);
  const path = minimise(w.path, w.failed!);
  const steps = replayInstances(cm, cm.inits[0]!, path);
  const isAction = cm.actionProperties.some((p) => p.name === w.failed);
  return {
    runs: out.numRuns, seed, maxDepth, seconds,
    violation: { property: w.failed!, trace: { steps, variables: layout.slotNames, ...(isAction ? { violatingStep: steps.length - 1 } : {}) } },
  };
}
