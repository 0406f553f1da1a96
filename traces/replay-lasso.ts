// What a replayed lasso must show besides its steps: that it is a
// counterexample to its liveness property (the formula fails on the
// behaviour that repeats the cycle forever), and that the fairness the
// property is checked under holds on the cycle by itself. As in the checker
// (checker/liveness/scc.ts), only steps that change the state count: a group
// is enabled in a state where one of its instances can change it, and taken
// on a cycle step of one of its instances that changes it.

import type { ActionInstance, CompiledModel } from '../checker/compile.js';
import type { TransitionCore } from '../checker/core.js';
import type { CompiledLiveness, FairnessGroup } from '../checker/liveness/compiled.js';

export interface LassoCheck {
  /** The formula fails on the lasso (for a forEach property: for one index at least). */
  readonly violated: boolean;
  /** The fairness conjuncts the cycle does not satisfy (WF(...), SF(...)). */
  readonly unfair: readonly string[];
}

/**
 * `states` are the lasso's states (the replayed ones), `steps[k]` the
 * instance taken from states[k] to states[k + 1]; the cycle is states
 * loop..last, and `closing` the step from the last state back to
 * states[loop] (undefined: the last state is states[loop] again).
 */
export function checkLasso(
  core: TransitionCore, prop: CompiledLiveness, states: readonly Int32Array[], steps: readonly ActionInstance[], loop: number, closing: ActionInstance | undefined,
): LassoCheck {
  const cm = core.cm;
  const view = (s: Int32Array) => cm.layout.view(s) as unknown;
  const f = prop.def.formula;
  const holds = (pred: (s: never, i: number) => boolean, s: Int32Array, i: number) => pred(view(s) as never, i);
  const cycle = states.slice(loop);
  let violated = false;
  for (let i = 0; i < prop.copies && !violated; i++) {
    switch (f.op) {
      case 'eventually': violated = states.every((s) => !holds(f.p, s, i)); break;
      // The trigger at k, and no Q from there on: the states after k, and the whole cycle when k is on it.
      case 'leadsTo': violated = states.some((s, k) => holds(f.p, s, i) && states.slice(Math.min(k, loop)).every((t) => !holds(f.q, t, i))); break;
      case 'alwaysEventually': violated = cycle.every((s) => !holds(f.p, s, i)); break;
      case 'eventuallyAlways': violated = cycle.some((s) => !holds(f.p, s, i)); break;
    }
  }
  const cycleSteps = [...steps.slice(loop).map((inst, k) => ({ inst, from: states[loop + k]!, to: states[loop + k + 1]! })),
    ...(closing ? [{ inst: closing, from: states[states.length - 1]!, to: states[loop]! }] : [])];
  const changes = (a: Int32Array, b: Int32Array) => a.some((x, j) => x !== b[j]);
  const index = new Map(cm.instances.map((inst, k) => [inst, k]));
  const unfair = prop.groups.filter((g) => {
    const taken = cycleSteps.some((s) => g.members[index.get(s.inst)!] === 1 && changes(s.from, s.to));
    if (taken) return false;
    const enabled = cycle.map((s) => enabledIn(core, cm, g, s));
    return g.strong ? enabled.some(Boolean) : enabled.every(Boolean);
  }).map((g) => g.label);
  return { violated, unfair };
}

function enabledIn(core: TransitionCore, cm: CompiledModel, g: FairnessGroup, s: Int32Array): boolean {
  const saved = core.cur.slice();
  const savedNext = core.next.slice();
  let on = false;
  core.cur.set(s);
  for (let k = 0; k < cm.instances.length && !on; k++) {
    if (g.members[k] !== 1) continue;
    if (core.step(cm.instances[k]!) === undefined && core.next.some((x, j) => x !== s[j])) on = true;
  }
  core.cur.set(saved);
  core.next.set(savedNext);
  return on;
}
