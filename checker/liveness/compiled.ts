// A liveness property as the engine checks it: its formula split into
// per-index predicates, and its fairness resolved to groups of action
// instances (one group is one WF/SF conjunct).

import { UsageError } from '../errors.js';
import type { Fairness, LivenessProperty, StatePredicate } from '../model.js';

/** What fairness reads of an action instance (compile.ts's ActionInstance, which imports this module). */
interface InstanceRef { readonly name: string; readonly params: Readonly<Record<string, unknown>> }

/** One fairness conjunct: WF or SF of "some instance in `members` takes a step". */
export interface FairnessGroup {
  readonly strong: boolean;
  /** As TLA+ writes it, e.g. `WF(Timeout(f1))`. */
  readonly label: string;
  /** Per action instance: 1 when the instance belongs to the group. */
  readonly members: Uint8Array;
}

export interface CompiledLiveness {
  readonly name: string;
  readonly def: LivenessProperty;
  /** How many copies of the formula (forEach's size, else 1). */
  readonly copies: number;
  readonly groups: readonly FairnessGroup[];
}

/** The predicates the formula reads, in order: p, then q for a leadsTo. */
export function predicatesOf(def: LivenessProperty): readonly StatePredicate[] {
  const f = def.formula;
  return f.op === 'leadsTo' ? [f.p, f.q] : [f.p];
}

/** How the formula reads in TLA+, for output. */
export function formulaText(def: LivenessProperty): string {
  switch (def.formula.op) {
    case 'eventually': return '<>P';
    case 'leadsTo': return 'P ~> Q';
    case 'alwaysEventually': return '[]<>P';
    case 'eventuallyAlways': return '<>[]P';
  }
}

export function compileLiveness(
  name: string, def: LivenessProperty, modelFairness: readonly Fairness[],
  actionNames: readonly string[], instances: readonly InstanceRef[], show: (inst: InstanceRef) => string,
): CompiledLiveness {
  const groups: FairnessGroup[] = [];
  for (const fair of [...modelFairness, ...(def.fairness ?? [])]) {
    if (!actionNames.includes(fair.action)) {
      // The model author's mistake (a --model-file's, too): one line, exit 2.
      throw new UsageError(`property ${name}: fairness names action '${fair.action}', which this design does not have; its actions are: ${actionNames.join(', ')}`);
    }
    const chosen = instances.flatMap((inst, i) => (inst.name === fair.action
      && Object.entries(fair.params ?? {}).every(([k, v]) => inst.params[k] === v) ? [i] : []));
    if (chosen.length === 0) throw new UsageError(`property ${name}: fairness of ${fair.action} with ${JSON.stringify(fair.params)} matches no instance`);
    const kind = fair.kind === 'strong' ? 'SF' : 'WF';
    const parts = fair.perInstance ? chosen.map((i) => [i]) : [chosen];
    for (const part of parts) {
      const members = new Uint8Array(instances.length);
      for (const i of part) members[i] = 1;
      const label = part.length === 1 ? `${kind}(${show(instances[part[0]!]!)})` : `${kind}(${fair.action}${fair.params ? ` ${JSON.stringify(fair.params)}` : ''})`;
      groups.push({ strong: fair.kind === 'strong', label, members });
    }
  }
  return { name, def, copies: def.forEach?.size ?? 1, groups };
}
