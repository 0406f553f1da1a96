// Which properties a run checks: all of the model's, or those named with
// --property together with the goals they name (a pass means nothing unless
// those goals are reached).

import type { CompiledModel } from './compile.js';
import type { SelectedProperties } from './core.js';
import { UsageError } from './errors.js';

export function selectProperties(cm: CompiledModel, names: readonly string[] | undefined): SelectedProperties {
  if (!names) return { invariants: cm.invariants, actionProperties: cm.actionProperties, goals: cm.goals, liveness: cm.liveness };
  const all = [...cm.invariants, ...cm.actionProperties, ...cm.liveness, ...cm.goals].map((p) => p.name);
  for (const n of names) {
    if (!all.includes(n)) throw new UsageError(`model ${cm.model} has no property '${n}'; its properties are: ${all.join(', ')}`);
  }
  const wanted = new Set(names);
  for (const p of [...cm.invariants, ...cm.actionProperties, ...cm.liveness]) {
    if (wanted.has(p.name)) for (const g of p.def.nonVacuousIf ?? []) wanted.add(g);
  }
  return {
    invariants: cm.invariants.filter((p) => wanted.has(p.name)),
    actionProperties: cm.actionProperties.filter((p) => wanted.has(p.name)),
    goals: cm.goals.filter((p) => wanted.has(p.name)),
    liveness: cm.liveness.filter((p) => wanted.has(p.name)),
  };
}
