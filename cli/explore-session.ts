// One explorer session: a path of states from an initial state, every step
// taken through the transition core. The page (explore-page.ts) shows the
// path, the actions enabled at its last state with their kernel words, and
// which properties fail or goals are reached there; it takes a step, steps
// back, jumps to an earlier step, and saves the path as ITF.

import { type ActionInstance, type CompiledModel } from '../checker/compile.js';
import { TransitionCore } from '../checker/core.js';
import { showScalar } from '../checker/domain.js';
import { UsageError } from '../checker/errors.js';
import type { ModelDef } from '../checker/model.js';
import { traceStep } from '../checker/trace.js';
import { encodeTrace } from '../traces/encode.js';
import { formatItf } from '../traces/itf-write.js';

interface PathStep { readonly inst: ActionInstance; readonly state: Int32Array; readonly label: string; readonly words?: string }

export interface SessionView {
  readonly model: string;
  readonly design: string;
  readonly inits: readonly { index: number; label: string }[];
  readonly init: number;
  readonly steps: readonly { step: number; label: string; words?: string; changed: readonly string[] }[];
  readonly enabled: readonly { instance: number; label: string; words?: string }[];
  /** Properties that fail at the current state (invariants) or on the last step (action properties). */
  readonly failing: readonly string[];
  readonly goalsReached: readonly string[];
}

export class ExploreSession {
  private readonly core: TransitionCore;
  private path: PathStep[] = [];
  private initIndex = 0;
  private readonly failing: number[] = [];

  constructor(private readonly model: ModelDef<any, any>, private readonly cm: CompiledModel) {
    this.core = new TransitionCore(cm, cm);
    this.start(0);
  }

  start(index: number): void {
    const init = this.cm.inits[index];
    if (!init || !this.core.initial(init)) throw new UsageError(`no initial state ${index}; there are ${this.cm.inits.length}`);
    this.initIndex = index;
    this.path = [{ inst: init, state: this.core.next.slice(), label: this.initLabel(init) }];
  }

  take(instance: number): void {
    const inst = this.cm.instances[instance];
    const last = this.path[this.path.length - 1]!;
    this.core.cur.set(last.state);
    if (!inst || this.core.step(inst) !== undefined) throw new UsageError(`action ${instance} is not enabled at step ${this.path.length - 1}`);
    const words = this.words(inst, this.core.cur, this.core.next);
    this.path.push({ inst, state: this.core.next.slice(), label: this.cm.label(inst, this.core.cur, this.core.next), ...(words ? { words } : {}) });
  }

  back(): void {
    if (this.path.length > 1) this.path.pop();
  }

  jump(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step >= this.path.length) throw new UsageError(`no step ${step}; the path has steps 0..${this.path.length - 1}`);
    this.path = this.path.slice(0, step + 1);
  }

  view(): SessionView {
    const { cm, core } = this;
    const last = this.path[this.path.length - 1]!;
    core.cur.set(last.state);
    const enabled: { instance: number; label: string; words?: string }[] = [];
    cm.instances.forEach((inst, i) => {
      if (core.step(inst) !== undefined) return;
      const words = this.words(inst, core.cur, core.next);
      enabled.push({ instance: i, label: cm.label(inst, core.cur, core.next), ...(words ? { words } : {}) });
    });
    const failing: string[] = [];
    if (this.path.length > 1) {
      const before = this.path[this.path.length - 2]!;
      core.cur.set(before.state);
      core.next.set(last.state);
      core.failingActionProperties(cm.instances.indexOf(last.inst), this.failing);
      for (const k of this.failing) failing.push(cm.actionProperties[k]!.name);
    }
    core.next.set(last.state);
    core.checkNext();
    for (let h = 0; h < core.invHitCount; h++) failing.push(cm.invariants[core.invHits[h]!]!.name);
    const goalsReached: string[] = [];
    for (let h = 0; h < core.goalHitCount; h++) goalsReached.push(cm.goals[core.goalHits[h]!]!.name);
    return {
      model: cm.model, design: cm.design,
      inits: cm.inits.map((inst, index) => ({ index, label: this.initLabel(inst) })),
      init: this.initIndex,
      steps: this.path.map((s, i) => ({
        step: i, label: s.label, ...(s.words ? { words: s.words } : {}),
        changed: i === 0 ? [] : this.changed(this.path[i - 1]!.state, s.state),
      })),
      enabled, failing, goalsReached,
    };
  }

  /** The path as an ITF trace, which `replay` and `show` read. */
  itf(): string {
    const steps = this.path.map((s, i) => traceStep(this.cm, i, s.inst, s.state, i > 0 ? this.path[i - 1]!.state : undefined));
    return formatItf(encodeTrace({ steps, variables: this.cm.layout.slotNames }, this.cm));
  }

  private initLabel(init: ActionInstance): string {
    return `Init ${Object.entries(this.cm.showParams(init)).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : v}`).join(' ')}`;
  }

  private changed(before: Int32Array, after: Int32Array): string[] {
    const { slotNames, slotDomains, slots } = this.cm.layout;
    const out: string[] = [];
    for (let s = 0; s < slots; s++) {
      if (before[s] !== after[s]) out.push(`${slotNames[s]}: ${JSON.stringify(showScalar(slotDomains[s]!, before[s]!))} -> ${JSON.stringify(showScalar(slotDomains[s]!, after[s]!))}`);
    }
    return out;
  }

  private words(inst: ActionInstance, before: Int32Array, after: Int32Array): string | undefined {
    const w = this.model.presentation?.words[inst.name];
    if (!w) return undefined;
    const { layout } = this.cm;
    return w({ action: inst.name, params: this.cm.showParams(inst) as never, before: layout.decode(before), after: layout.decode(after) });
  }
}
