// The transition core: the one place where a step of a model is taken.
//
// Copying a state, evaluating a guard, running an effect (an effect that
// returns `false` refuses the step after all), packing and bound-checking the
// successor (the only place a SchemaViolation is raised), checking action
// properties on a step, invariants and goals on a state, the state constraint
// and "is anything enabled" (deadlock) are written here and nowhere else.
// Every search (breadth-first on 1..N workers, depth-first), simulation,
// trace rebuilding and replay call it, as Stateright's `next_steps` or TLC's
// `getNextStates` are the one successor function of those checkers.
//
// The core owns two state vectors, `cur` and `next`, with a view over each,
// so that generating successors allocates nothing: successors are written
// bit-packed into a caller's Successors buffer.

import type { ActionInstance, CompiledModel, Named } from './compile.js';
import type { CompiledLiveness } from './liveness/compiled.js';
import { describeDomain } from './domain.js';
import { SchemaViolation, UsageError } from './errors.js';
import type { View } from './layout.js';
import type { ActionProperty, Invariant, ReachabilityGoal } from './model.js';
import { makePacker, type Packer } from './packer.js';
import { makeSuccessorLoop, type SuccessorLoop } from './successor-loop.js';
import { makeEffectOf, makeGuardLoop, makeGuardOf, type EffectOf, type GuardLoop, type GuardOf } from './instance-calls.js';
import { makeSymmetry, type Symmetry } from './symmetry.js';
import { independenceOf, type Independence } from './por.js';

/** The properties a run checks (see select.ts). */
export interface SelectedProperties {
  readonly invariants: readonly Named<Invariant>[];
  readonly actionProperties: readonly (Named<ActionProperty> & { readonly actions?: readonly number[] })[];
  readonly goals: readonly Named<ReachabilityGoal>[];
  /** Temporal properties: decided over the state graph once the search is done (checker/liveness/). */
  readonly liveness?: readonly CompiledLiveness[];
}

/** How a run restricts the steps it takes. */
export interface StepFilter {
  /**
   * Actions the run never takes (by name): their instances generate no
   * successor, so a search shows another shortest counterexample. A state
   * where only they are enabled is still not a deadlock.
   */
  readonly avoidActions?: readonly string[];
}

/** The state-space reductions a run asks for; each is off unless asked. */
export interface Reductions {
  /** Keep one state per orbit of the model's declared symmetric index sets (checker/symmetry.ts). */
  readonly symmetry?: boolean;
  /** Partial-order reduction over the model's declared components (checker/por.ts). */
  readonly por?: boolean;
}

/** The avoided actions' indices; an unknown name is the user's error, listing the actions. */
export function avoidedActions(cm: CompiledModel, names: readonly string[] | undefined): ReadonlySet<number> {
  const out = new Set<number>();
  for (const n of names ?? []) {
    const i = cm.actionNames.indexOf(n);
    if (i < 0) throw new UsageError(`--avoid-action ${n}: design ${cm.design} has no action '${n}'; its actions are: ${cm.actionNames.join(', ')}`);
    out.add(i);
  }
  return out;
}

/** Why a design does not take a step. */
export type Refusal = 'guard' | 'effect';

/** One state's successors, bit-packed, in the order of the model's action instances. */
export class Successors {
  /** Successors generated. */
  count = 0;
  /** Whether any action was enabled (false: the state is a deadlock). */
  enabled = false;
  /** Successor q's packed words are words[q * W, (q + 1) * W). */
  readonly words: Uint32Array;
  /** The action instance that produced successor q. */
  readonly inst: Int32Array;
  /** Action properties that failed on a step to a successor: property apFailProp[n] at successor apFailAt[n], in order. */
  apFails = 0;
  readonly apFailProp: Int32Array;
  readonly apFailAt: Int32Array;

  constructor(core: TransitionCore) {
    const n = Math.max(1, core.cm.instances.length);
    this.words = new Uint32Array(n * core.W);
    this.inst = new Int32Array(n);
    this.apFailProp = new Int32Array(Math.max(1, core.actionProperties.length));
    this.apFailAt = new Int32Array(Math.max(1, core.actionProperties.length));
  }
}

export class TransitionCore {
  readonly packer: Packer;
  /** Words per packed state. */
  readonly W: number;
  readonly cur: Int32Array;
  readonly next: Int32Array;
  readonly curView: never;
  readonly nextView: never;
  readonly invariants: SelectedProperties['invariants'];
  readonly actionProperties: SelectedProperties['actionProperties'];
  readonly goals: SelectedProperties['goals'];

  /**
   * Which properties are still checked. An action property is checked until it
   * first fails (the core closes it then); invariants and goals are closed by
   * the caller, which knows whether the first hit it sees is the one to keep.
   */
  readonly invOpen: Uint8Array;
  readonly apOpen: Uint8Array;
  readonly goalOpen: Uint8Array;
  private apLeft: number;

  /** After checkNext(): the open invariants that fail and the open goals reached, by index. */
  readonly invHits: Int32Array;
  invHitCount = 0;
  readonly goalHits: Int32Array;
  goalHitCount = 0;

  private readonly guards: ((s: any, a: any) => boolean)[];
  private readonly effects: ((s: any, a: any) => void | boolean)[];
  private readonly params: ActionInstance['params'][];
  /** Per instance: the action properties that constrain its action. */
  private readonly apFor: Int32Array[];
  private readonly constraint: ((s: View<any>) => boolean) | undefined;
  private readonly successorLoop: SuccessorLoop;
  /** Made on first use (only a random walk asks for it). */
  private guardLoop: GuardLoop | undefined;
  private guardOf: GuardOf | undefined;
  private effectOf: EffectOf | undefined;

  /** Indices of the actions the run never takes (StepFilter.avoidActions). */
  readonly avoided: ReadonlySet<number>;
  /**
   * With --symmetry (and a model that declares symmetric sets): successors and
   * initial states are canonicalised before they are packed, so every engine
   * stores one state per orbit. Action properties still see the step as taken.
   */
  readonly symmetry: Symmetry | undefined;
  private readonly scratch: Int32Array;
  /** With --por (and a model that declares components): what each instance touches. */
  readonly independence: Independence | undefined;
  private readonly ampleCounts: Int32Array;
  /** After ampleCandidates(): the candidate components, best first. */
  readonly ampleOrder: Int32Array;

  constructor(readonly cm: CompiledModel, selected: SelectedProperties, filter: StepFilter = {}, reductions: Reductions = {}) {
    this.avoided = avoidedActions(cm, filter.avoidActions);
    const { layout } = cm;
    this.symmetry = reductions.symmetry && cm.symmetric.length > 0 ? makeSymmetry(layout, cm.symmetric) : undefined;
    this.scratch = layout.blank();
    this.independence = reductions.por ? independenceOf(cm) : undefined;
    this.ampleCounts = new Int32Array(this.independence?.components ?? 0);
    this.ampleOrder = new Int32Array(this.independence?.components ?? 0);
    this.packer = makePacker(layout);
    this.W = this.packer.words;
    this.cur = layout.blank();
    this.next = layout.blank();
    this.curView = layout.view(this.cur) as never;
    this.nextView = layout.view(this.next) as never;
    this.invariants = selected.invariants;
    this.actionProperties = selected.actionProperties;
    this.goals = selected.goals;
    this.invOpen = new Uint8Array(this.invariants.length).fill(1);
    this.apOpen = new Uint8Array(this.actionProperties.length).fill(1);
    this.goalOpen = new Uint8Array(this.goals.length).fill(1);
    this.apLeft = this.actionProperties.length;
    this.invHits = new Int32Array(Math.max(1, this.invariants.length));
    this.goalHits = new Int32Array(Math.max(1, this.goals.length));
    const instances = cm.instances;
    this.guards = instances.map((i) => i.guard ?? alwaysEnabled);
    this.effects = instances.map((i) => i.effect);
    this.params = instances.map((i) => i.params);
    this.apFor = instances.map((inst) => Int32Array.from(
      this.actionProperties.flatMap((p, k) => (p.actions === undefined || p.actions.includes(inst.action) ? [k] : [])),
    ));
    this.constraint = cm.constraint;
    this.successorLoop = makeSuccessorLoop(cm, this.avoided, this.symmetry !== undefined);
  }

  /** Sets which action properties are checked (e.g. at the start of a parallel level). */
  openActionProperties(open: ArrayLike<boolean | number>): void {
    let left = 0;
    for (let k = 0; k < this.apOpen.length; k++) { this.apOpen[k] = open[k] ? 1 : 0; left += this.apOpen[k]!; }
    this.apLeft = left;
  }

  // ---- states ------------------------------------------------------------

  /** Makes the packed state at src[at] the current state. */
  load(src: Uint32Array, at: number): void {
    this.packer.unpack(src, at, this.cur);
  }

  /** Unpacks the state at src[at] into `next` (to check invariants and goals on it). */
  loadNext(src: Uint32Array, at: number): void {
    this.packer.unpack(src, at, this.next);
  }

  /** Writes initial state `init` into `next`; false when its effect refuses. Bound-checked. */
  initial(init: ActionInstance): boolean {
    this.next.set(this.cm.layout.lo);
    if (init.effect(this.nextView, init.params) === false) return false;
    this.boundCheck(init, false);
    this.symmetry?.canonicalise(this.next);
    return true;
  }

  /** With symmetry: how many states the orbit of the packed (canonical) state at src[at] has; 1 without. */
  orbitSize(src: Uint32Array, at: number): number {
    if (!this.symmetry) return 1;
    this.packer.unpack(src, at, this.scratch);
    return this.symmetry.orbitSize(this.scratch);
  }

  /** Packs `next` into out[at]; it has been bound-checked already. */
  packNext(out: Uint32Array, at: number): void {
    this.packer.pack(this.next, out, at);
  }

  /** Whether the current state lies inside the model's state constraint (states outside it are kept, not expanded). */
  inConstraint(): boolean {
    return this.constraint === undefined || this.constraint(this.curView);
  }

  /** Evaluates the open invariants and goals on `next`, into invHits and goalHits. */
  checkNext(): void {
    const view = this.nextView;
    let n = 0;
    for (let k = 0; k < this.invariants.length; k++) {
      if (this.invOpen[k] === 1 && !this.invariants[k]!.def.holds(view)) this.invHits[n++] = k;
    }
    this.invHitCount = n;
    n = 0;
    for (let k = 0; k < this.goals.length; k++) {
      if (this.goalOpen[k] === 1 && this.goals[k]!.def.reached(view)) this.goalHits[n++] = k;
    }
    this.goalHitCount = n;
  }

  // ---- steps ---------------------------------------------------------------

  /**
   * Every successor of the current state into `out`, in instance order:
   * guard, copy, effect, pack with bound check, and the open action
   * properties of the step. The loop is generated per model (see
   * makeSuccessorLoop) so that each action's guard and effect have a call
   * site of their own.
   */
  successors(out: Successors): void {
    out.apFails = 0;
    this.successorLoop(this, out, this.apLeft > 0);
  }

  /**
   * Loads the packed state at src[at] and generates its successors into
   * `out`. Returns false for a state outside the constraint (kept, not
   * expanded). At the depth bound nothing is generated, and out.enabled
   * still says whether any action is enabled (a deadlock is one there too).
   */
  expand(src: Uint32Array, at: number, atBound: boolean, out: Successors): boolean {
    this.load(src, at);
    if (!this.inConstraint()) return false;
    if (atBound) {
      out.count = 0;
      out.apFails = 0;
      out.enabled = this.anyEnabled();
    } else {
      this.successors(out);
    }
    return true;
  }

  /**
   * Partial-order reduction, C0 and C1 (por.ts): the closed components with
   * an enabled step among `out`'s successors, fewest steps first, into
   * `ampleOrder`; returns how many (none when a component's steps would be
   * all there are: nothing to reduce). The caller picks the first that passes
   * the cycle proviso (C3) against its store.
   */
  ampleCandidates(out: Successors): number {
    const ind = this.independence!;
    const counts = this.ampleCounts;
    const order = this.ampleOrder;
    counts.fill(0);
    for (let q = 0; q < out.count; q++) { const c = ind.localTo[out.inst[q]!]!; if (c >= 0) counts[c]!++; }
    let n = 0;
    for (let c = 0; c < counts.length; c++) {
      const k = counts[c]!;
      if (ind.closed[c] !== 1 || k === 0 || k === out.count) continue;
      let at = n++;
      while (at > 0 && counts[order[at - 1]!]! > k) { order[at] = order[at - 1]!; at--; }
      order[at] = c;
    }
    return n;
  }

  /** Called by the generated loop when a successor does not pack: names the slot. */
  packFailed(i: number): void {
    this.boundCheck(this.cm.instances[i]!);
  }

  /** Whether any action is enabled in the current state (a state at the depth bound generates no successors). */
  anyEnabled(): boolean {
    const { cur, next, curView, nextView, guards, effects, params } = this;
    for (let i = 0; i < guards.length; i++) {
      const a = params[i]!;
      if (!guards[i]!(curView, a)) continue;
      next.set(cur);
      if (effects[i]!(nextView, a) !== false) return true;
    }
    return false;
  }

  /** Takes `inst` from the current state into `next`; says why when the design refuses it. Bound-checked. */
  step(inst: ActionInstance): Refusal | undefined {
    if (inst.guard && !inst.guard(this.curView, inst.params)) return 'guard';
    this.next.set(this.cur);
    if (inst.effect(this.nextView, inst.params) === false) return 'effect';
    this.boundCheck(inst);
    return undefined;
  }

  /**
   * The instances whose guard holds in the current state, in instance order
   * and without the avoided actions, into `out` (sized for every instance);
   * returns how many. An effect may still refuse one: takeGuarded says.
   */
  guardsHolding(out: Int32Array): number {
    this.guardLoop ??= makeGuardLoop(this.cm, this.avoided);
    return this.guardLoop(this.curView, out);
  }

  /** Whether instance i's guard holds in the current state (avoided or not). */
  guardHolds(i: number): boolean {
    this.guardOf ??= makeGuardOf(this.cm);
    return this.guardOf(this.curView, i);
  }

  /** Takes instance i, whose guard holds in the current state, into `next`; false when its effect refuses. Bound-checked. */
  takeGuarded(i: number): boolean {
    this.effectOf ??= makeEffectOf(this.cm);
    this.next.set(this.cur);
    if (!this.effectOf(this.nextView, i)) return false;
    if (this.cm.layout.anyOutOfDomain(this.next)) this.boundCheck(this.cm.instances[i]!);
    return true;
  }

  /** Evaluates `inst`'s guard over any view of a state (e.g. one that records what the guard reads). */
  static guardHolds(inst: ActionInstance, view: unknown): boolean {
    return inst.guard === undefined || inst.guard(view, inst.params);
  }

  /** The action properties (open or not) constraining instance i that fail on the step cur -> next, into `out`; returns how many. */
  failingActionProperties(i: number, out: number[]): number {
    const ks = this.apFor[i]!;
    const step = this.cm.instances[i]!.step;
    out.length = 0;
    for (let j = 0; j < ks.length; j++) {
      if (!this.actionProperties[ks[j]!]!.def.holds(this.curView, step, this.nextView)) out.push(ks[j]!);
    }
    return out.length;
  }

  /** Checks the open action properties of instance i on cur -> next, recording failures as successor m's. */
  checkStepInto(i: number, out: Successors, m: number): void {
    const ks = this.apFor[i]!;
    const step = this.cm.instances[i]!.step;
    for (let j = 0; j < ks.length; j++) {
      const k = ks[j]!;
      if (this.apOpen[k] === 1 && !this.actionProperties[k]!.def.holds(this.curView, step, this.nextView)) {
        this.apOpen[k] = 0;
        this.apLeft--;
        out.apFailProp[out.apFails] = k;
        out.apFailAt[out.apFails++] = m;
      }
    }
  }

  /** A value outside its domain is a bug in the model: name the step, the variable and the value. */
  private boundCheck(inst: ActionInstance, isStep = true): void {
    const { layout } = this.cm;
    const bad = layout.firstOutOfDomain(this.next);
    if (bad < 0) return;
    // A label that reads the states would read the out-of-domain value: name the step by its parameters then.
    let label = this.cm.label(inst);
    if (isStep) try { label = this.cm.label(inst, this.cur, this.next); } catch { /* keep the parameters' name */ }
    throw new SchemaViolation(label, layout.slotNames[bad]!, this.next[bad]!, describeDomain(layout.slotDomains[bad]!), { model: this.cm.model, design: this.cm.design, action: inst.name });
  }
}

const alwaysEnabled = (): boolean => true;
