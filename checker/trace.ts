// Rebuilds a trace from the store's parent links by replaying the recorded
// action instances from the initial state; each step's state is recomputed,
// so a trace never depends on states having been kept in memory.

import type { ActionInstance, CompiledModel } from './compile.js';
import type { Trace, TraceStep } from './result.js';
import { NO_PARENT, type FingerprintStore } from './store.js';

export function reconstruct(cm: CompiledModel, store: FingerprintStore, id: number, extraInstance?: number): Trace {
  const path: number[] = [];
  let at = id;
  while (store.parent(at) !== NO_PARENT) { path.push(store.action(at)); at = store.parent(at); }
  const init = cm.inits[store.action(at)]!;
  path.reverse();
  if (extraInstance !== undefined && extraInstance >= 0) path.push(extraInstance);
  const steps = replayInstances(cm, init, path.map((i) => cm.instances[i]!));
  const variables = cm.layout.slotNames;
  return extraInstance !== undefined && extraInstance >= 0 ? { steps, violatingStep: steps.length - 1, variables } : { steps, variables };
}

/** Runs the instances in order from `init`; throws if one is not enabled (a stale or foreign path). */
export function replayInstances(cm: CompiledModel, init: ActionInstance, path: readonly ActionInstance[]): TraceStep[] {
  const { layout } = cm;
  const cur = layout.blank();
  const next = layout.blank();
  const curView = layout.view(cur);
  const nextView = layout.view(next);
  next.set(layout.lo);
  init.effect(nextView, init.params);
  const steps: TraceStep[] = [step(cm, 0, init, next)];
  path.forEach((inst, k) => {
    cur.set(next);
    const enabled = (!inst.guard || inst.guard(curView, inst.params)) && inst.effect(nextView, inst.params) !== false;
    if (!enabled) throw new Error(`trace replay: step ${k + 1} (${cm.label(inst)}) is not enabled`);
    steps.push(step(cm, k + 1, inst, next, cur));
  });
  return steps;
}

function step(cm: CompiledModel, index: number, inst: ActionInstance, state: Int32Array, before?: Int32Array): TraceStep {
  return { index, action: inst.name, params: cm.showParams(inst), label: cm.label(inst, before, state), state: cm.layout.decode(state) };
}
