// Walking a model step by step in tests, through the transition core: the
// steps enabled in a state, and the state each leads to.

import type { ActionInstance, CompiledModel } from '../checker/compile.js';
import { Successors, TransitionCore } from '../checker/core.js';

export interface Step { readonly inst: ActionInstance; readonly after: Int32Array }

export class Stepper {
  readonly core: TransitionCore;
  private readonly succ: Successors;

  constructor(readonly cm: CompiledModel) {
    this.core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
    this.succ = new Successors(this.core);
  }

  /** The state of initial-state instance `init`. */
  initial(init: ActionInstance): Int32Array {
    if (!this.core.initial(init)) throw new Error(`initial state ${this.cm.label(init)} is refused`);
    return Int32Array.from(this.core.next);
  }

  /** Every step enabled in `state`, in instance order. */
  enabled(state: Int32Array): Step[] {
    const { core, succ } = this;
    core.cur.set(state);
    core.successors(succ);
    const out: Step[] = [];
    for (let q = 0; q < succ.count; q++) {
      core.loadNext(succ.words, q * core.W);
      out.push({ inst: this.cm.instances[succ.inst[q]!]!, after: Int32Array.from(core.next) });
    }
    return out;
  }
}
