// Rebuilds a trace from a search's parent links by replaying the recorded
// action instances from the initial state through the transition core; each
// step's state is recomputed, so a trace never depends on states having been
// kept in memory.

import type { ActionInstance, CompiledModel } from './compile.js';
import { TransitionCore } from './core.js';
import type { Trace, TraceStep } from './result.js';
import { NO_PARENT } from './store.js';
import type { Symmetry } from './symmetry.js';

/** Who reached a state first: its parent's id (NO_PARENT for an initial state) and the action instance (or Init index) taken. */
export interface Links {
  parent(id: number): number;
  action(id: number): number;
}

/** With symmetry: the reduction the links were recorded under, and for an action property's trace the test its last step must pass. */
export interface Canonical {
  readonly symmetry: Symmetry;
  /** Whether the step cur -> next by `inst` is the violating one (the property fails on it). */
  readonly lastStep?: (core: TransitionCore, inst: ActionInstance) => boolean;
}

export function reconstruct(cm: CompiledModel, links: Links, id: number, extraInstance?: number, canonical?: Canonical): Trace {
  const path: number[] = [];
  let at = id;
  while (links.parent(at) !== NO_PARENT) { path.push(links.action(at)); at = links.parent(at); }
  const init = cm.inits[links.action(at)]!;
  path.reverse();
  const extra = extraInstance !== undefined && extraInstance >= 0;
  if (extra) path.push(extraInstance);
  const insts = path.map((i) => cm.instances[i]!);
  const steps = canonical ? replayConcrete(cm, init, insts, canonical, extra) : replayInstances(cm, init, insts);
  const variables = cm.layout.slotNames;
  return extra ? { steps, violatingStep: steps.length - 1, variables } : { steps, variables };
}

/** Runs the instances in order from `init`; throws if one is not enabled (a stale or foreign path). */
export function replayInstances(cm: CompiledModel, init: ActionInstance, path: readonly ActionInstance[]): TraceStep[] {
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  if (!core.initial(init)) throw new Error(`trace replay: the initial state ${cm.label(init)} is refused`);
  const steps: TraceStep[] = [traceStep(cm, 0, init, core.next)];
  path.forEach((inst, k) => {
    core.cur.set(core.next);
    if (core.step(inst) !== undefined) throw new Error(`trace replay: step ${k + 1} (${cm.label(inst)}) is not enabled`);
    steps.push(traceStep(cm, k + 1, inst, core.next, core.cur));
  });
  return steps;
}

/**
 * Under symmetry the links name a step from a state's canonical form, not from
 * the concrete state the trace is at. So each step is taken from the concrete
 * predecessor: the instance, among those enabled there, whose successor has
 * the canonical form the recorded step reaches (the recorded instance is
 * tried first, then the same action's, then the others). The trace is then a
 * run of the model itself, which `replay` accepts.
 */
function replayConcrete(cm: CompiledModel, init: ActionInstance, path: readonly ActionInstance[], c: Canonical, lastIsViolation: boolean): TraceStep[] {
  const { symmetry } = c;
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  if (!core.initial(init)) throw new Error(`trace replay: the initial state ${cm.label(init)} is refused`);
  const steps: TraceStep[] = [traceStep(cm, 0, init, core.next)];
  const concrete = Int32Array.from(core.next);
  const canon = Int32Array.from(core.next);
  symmetry.canonicalise(canon);
  const target = new Int32Array(canon.length);
  const cand = new Int32Array(canon.length);
  const same = (a: Int32Array, b: Int32Array) => { for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false; return true; };
  path.forEach((inst, k) => {
    core.cur.set(canon);
    if (core.step(inst) !== undefined) throw new Error(`trace replay: step ${k + 1} (${cm.label(inst)}) is not enabled in the canonical state`);
    target.set(core.next);
    symmetry.canonicalise(target);
    const last = lastIsViolation && k === path.length - 1 ? c.lastStep : undefined;
    core.cur.set(concrete);
    const tried = [inst, ...cm.instances.filter((q) => q !== inst && q.action === inst.action), ...cm.instances.filter((q) => q.action !== inst.action)];
    const taken = tried.find((q) => {
      if (core.step(q) !== undefined) return false;
      cand.set(core.next);
      symmetry.canonicalise(cand);
      return same(cand, target) && (last === undefined || last(core, q));
    });
    if (taken === undefined) {
      throw new Error(`trace rebuilding under symmetry: no step from the concrete state matches step ${k + 1} (${cm.label(inst)}); ` +
        `the model's declared symmetric sets (${symmetry.sets.map((s) => s.prefix).join(', ')}) are not interchangeable`);
    }
    steps.push(traceStep(cm, k + 1, taken, core.next, core.cur));
    concrete.set(core.next);
    canon.set(target);
  });
  return steps;
}

export function traceStep(cm: CompiledModel, index: number, inst: ActionInstance, state: Int32Array, before?: Int32Array): TraceStep {
  return { index, action: inst.name, params: cm.showParams(inst), label: cm.label(inst, before, state), state: cm.layout.decode(state) };
}
