// Rebuilds a trace from a search's parent links by replaying the recorded
// action instances from the initial state through the transition core; each
// step's state is recomputed, so a trace never depends on states having been
// kept in memory.

import type { ActionInstance, CompiledModel } from './compile.js';
import { TransitionCore } from './core.js';
import type { Trace, TraceStep } from './result.js';
import { NO_PARENT } from './store.js';

/** Who reached a state first: its parent's id (NO_PARENT for an initial state) and the action instance (or Init index) taken. */
export interface Links {
  parent(id: number): number;
  action(id: number): number;
}

export function reconstruct(cm: CompiledModel, links: Links, id: number, extraInstance?: number): Trace {
  const path: number[] = [];
  let at = id;
  while (links.parent(at) !== NO_PARENT) { path.push(links.action(at)); at = links.parent(at); }
  const init = cm.inits[links.action(at)]!;
  path.reverse();
  const extra = extraInstance !== undefined && extraInstance >= 0;
  if (extra) path.push(extraInstance);
  const steps = replayInstances(cm, init, path.map((i) => cm.instances[i]!));
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

export function traceStep(cm: CompiledModel, index: number, inst: ActionInstance, state: Int32Array, before?: Int32Array): TraceStep {
  return { index, action: inst.name, params: cm.showParams(inst), label: cm.label(inst, before, state), state: cm.layout.decode(state) };
}
