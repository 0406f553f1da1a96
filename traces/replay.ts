// Re-executes a saved trace through a model's own actions, under the design
// and constants asked for (by default those it was recorded with), and says
// whether it still happens: every step enabled and reproducing the recorded
// state, and the recorded violation still failing — or where it stops.
//
// Two kinds of divergence. A step whose resulting state differs is noted and
// the replay goes on from the replayed state, because "the fix changes the
// state here, and then refuses that step there" is what a developer wants to
// see. A step that cannot be taken at all (no such action, its guard refuses,
// its effect refuses) ends the replay.

import { type ActionInstance, type CompiledModel, compile } from '../checker/compile.js';
import { showScalar } from '../checker/domain.js';
import type { ModelDef } from '../checker/model.js';
import type { Trace, TraceStep } from '../checker/result.js';
import { TransitionCore } from '../checker/core.js';
import { traceStep } from '../checker/trace.js';
import { UsageError } from '../checker/errors.js';
import { ParamMismatch, type PropertyKind, type RecordedStep, type SavedTrace, instanceFor, itfStateToPlain } from './codec.js';
import { type GuardRead, guardReads } from './guard-reads.js';

export interface ReplayOptions {
  /** The design to replay under; default the one recorded in the trace, else the model's own. */
  readonly design?: string;
  /** Constant overrides on top of the recorded ones. */
  readonly constants?: Readonly<Record<string, string | number>>;
}

export interface VariableDiff {
  readonly variable: string;
  readonly recorded: string | number | boolean;
  readonly replayed: string | number | boolean;
}

export interface StateDivergence {
  readonly step: number;
  readonly label: string;
  readonly diffs: readonly VariableDiff[];
}

export type RefusalReason = 'no-such-action' | 'parameters-differ' | 'guard' | 'effect' | 'no-initial-state' | 'no-action-leads-there' | 'loop-does-not-close';

export interface Refusal {
  readonly step: number;
  readonly reason: RefusalReason;
  readonly action: string;
  readonly label: string;
  /** The guard as written (its source text), when the guard refused. */
  readonly guardSource?: string;
  /** The model's own words for the guard (ActionDef.guardDoc), when it has them. */
  readonly guardDoc?: string;
  /** Where the action's behaviour comes from (ActionDef.source). */
  readonly actionSource?: string;
  /** The variables the guard read, with their values, when it refused. */
  readonly reads?: readonly GuardRead[];
  /** The design's actions, when the trace names one it does not have. */
  readonly known?: readonly string[];
  /** What does not fit, when the recorded parameters are not the ones this design's action takes. */
  readonly detail?: string;
  /** The same action on the same processes and files that this design would take here instead. */
  readonly alternatives?: readonly string[];
}

/** A step this design takes differently: the recorded instance is refused, and its one same-operation sibling is taken. */
export interface Substitution {
  readonly step: number;
  readonly recorded: string;
  readonly taken: string;
  readonly why: 'guard' | 'effect';
}

export interface PropertyEvent {
  readonly property: string;
  readonly kind: PropertyKind;
  /** fails for a safety property or deadlock; reached for a goal. */
  readonly status: 'fails' | 'reached';
  readonly step: number;
  readonly doc?: string;
}

export interface ReplayReport {
  readonly source: string;
  readonly model: string;
  readonly design: string;
  readonly recordedDesign?: string;
  readonly constants: Readonly<Record<string, number | string>>;
  /** Steps in the trace after the initial state. */
  readonly recordedSteps: number;
  /** The steps that ran, with the replayed states. */
  readonly trace: Trace;
  readonly stateDivergence?: StateDivergence;
  readonly refusal?: Refusal;
  /** Steps this design takes differently from the recording (e.g. a close that now evicts). */
  readonly substitutions: readonly Substitution[];
  /** For a lasso: the action that leads from the last state back to the loop's state. */
  readonly loopClosedBy?: string;
  /** The first step at which each property fails (or goal is reached) in the replayed run. */
  readonly events: readonly PropertyEvent[];
  /** What the trace was recorded to show, if it says. */
  readonly expected?: { readonly property: string; readonly kind: PropertyKind; readonly step?: number };
  /** The expected property fails (or goal is reached) in the replay; with no expectation, any property fails. */
  readonly reproduced: boolean;
  /** reproduces: replays exactly and the violation happens; diverges; no-violation: replays exactly, but nothing fails. */
  readonly verdict: 'reproduces' | 'diverges' | 'no-violation';
}

/** Compiles the model the way the trace asks, with the caller's overrides. */
export function compileFor(model: ModelDef<any, any>, saved: SavedTrace, opts: ReplayOptions): CompiledModel {
  const recorded = { ...saved.meta.constants };
  // Recorded constants the model no longer declares would make compile fail; say so in the trace's terms.
  for (const k of Object.keys(recorded)) {
    if (!(k in model.constants)) {
      throw new UsageError(`${saved.source}: #meta.constants names '${k}', which model ${model.name} does not have (its constants: ${Object.keys(model.constants).join(', ') || 'none'})`);
    }
  }
  const design = opts.design ?? (saved.meta.design && saved.meta.design in model.designs ? saved.meta.design : undefined);
  if (!opts.design && saved.meta.design && !(saved.meta.design in model.designs)) {
    throw new UsageError(`${saved.source}: recorded under design '${saved.meta.design}', which model ${model.name} does not have; choose one with --design (${Object.keys(model.designs).join(', ')})`);
  }
  return compile(model, design, { ...recorded, ...(opts.constants ?? {}) });
}

export function replay(cm: CompiledModel, saved: SavedTrace): ReplayReport {
  const { layout } = cm;
  const recorded = saved.steps.map((s) => {
    const buf = layout.blank();
    layout.encode(itfStateToPlain(cm, s), buf);
    return buf;
  });
  // Every property is looked at on every step: a replay reports the first step each one fails at.
  const core = new TransitionCore(cm, cm);
  const { cur, next } = core;
  const steps: TraceStep[] = [];
  const events: PropertyEvent[] = [];
  const seen = new Set<string>();
  let stateDivergence: StateDivergence | undefined;
  let refusal: Refusal | undefined;
  const substitutions: Substitution[] = [];
  const failedSteps: number[] = [];

  const note = (property: string, kind: PropertyKind, status: 'fails' | 'reached', step: number, doc?: string) => {
    if (seen.has(property)) return;
    seen.add(property);
    events.push({ property, kind, status, step, ...(doc ? { doc } : {}) });
  };
  const checkState = (i: number) => {
    core.checkNext();
    for (let h = 0; h < core.invHitCount; h++) { const p = cm.invariants[core.invHits[h]!]!; note(p.name, 'invariant', 'fails', i, p.def.doc); }
    for (let h = 0; h < core.goalHitCount; h++) { const g = cm.goals[core.goalHits[h]!]!; note(g.name, 'reachable', 'reached', i, g.def.doc); }
  };
  const record = (i: number, inst: ActionInstance) => {
    steps.push(traceStep(cm, i, inst, next));
    const diffs = diffSlots(cm, recorded[i]!, next);
    if (diffs.length && !stateDivergence) stateDivergence = { step: i, label: cm.label(inst), diffs };
  };

  // ---- the initial state -------------------------------------------------
  const first = saved.steps[0]!;
  const named = first.action === 'Init' ? instanceFor(cm, first) : undefined;
  let init: ActionInstance | undefined;
  if (named) {
    if (core.initial(named)) init = named;
  } else {
    // No recorded parameters: the initial state that equals the recorded one, else the closest.
    let best: { inst: ActionInstance; d: number } | undefined;
    for (const inst of cm.inits) {
      if (!core.initial(inst)) continue;
      const d = diffSlots(cm, recorded[0]!, next).length;
      if (!best || d < best.d) best = { inst, d };
    }
    if (best) { init = best.inst; core.initial(init); }
  }
  if (!init) {
    refusal = { step: 0, reason: 'no-initial-state', action: 'Init', label: first.label ?? 'Init' };
  } else {
    record(0, init);
    checkState(0);
  }

  // ---- the steps -----------------------------------------------------------
  for (let i = 1; i < saved.steps.length && !refusal; i++) {
    const rs = saved.steps[i]!;
    cur.set(next);
    const found = rs.action === undefined ? findLeadingTo(core, recorded[i]!, i) : resolve(cm, rs);
    if ('refusal' in found) { refusal = found.refusal; break; }
    let inst = found.inst;
    const refused = refusalOf(core, inst, i);
    if (refused) {
      // The same operation may happen differently here (a close that now evicts, an open that now looks the
      // inode up): one enabled sibling whose label contains the recorded one, or the other way round, is it.
      const alts = enabledSiblings(core, inst);
      const same = alts.filter((a) => { const l = cm.label(a); const r = cm.label(inst); return l.includes(r) || r.includes(l); });
      if (same.length !== 1) {
        refusal = { ...refused, ...(alts.length ? { alternatives: alts.map((a) => cm.label(a)) } : {}) };
        break;
      }
      substitutions.push({ step: i, recorded: cm.label(inst), taken: cm.label(same[0]!), why: refused.reason as 'guard' | 'effect' });
      inst = same[0]!;
    }
    core.step(inst);
    core.failingActionProperties(cm.instances.indexOf(inst), failedSteps);
    for (const k of failedSteps) { const p = cm.actionProperties[k]!; note(p.name, 'action', 'fails', i, p.def.doc); }
    record(i, inst);
    checkState(i);
  }

  // A deadlock trace shows a state with no enabled action; that is a property of the last replayed state.
  if (!refusal && steps.length > 0 && (saved.meta.propertyKind === 'deadlock' || cm.checkDeadlock)) {
    cur.set(next);
    const anyEnabled = core.anyEnabled();
    next.set(cur);
    if (!anyEnabled) note('Deadlock', 'deadlock', 'fails', steps.length - 1, 'no action is enabled');
  }

  // A lasso's last state must lead back to the state its loop starts at.
  const m = saved.meta;
  let loopClosedBy: string | undefined;
  if (!refusal && m.loop !== undefined) {
    const last = steps.length - 1;
    cur.set(next);
    const back = findLeadingTo(core, recorded[m.loop]!, last + 1);
    if ('inst' in back) loopClosedBy = cm.label(back.inst);
    else refusal = { ...back.refusal, reason: 'loop-does-not-close', label: `back to step ${m.loop}` };
    next.set(cur);
  }

  const expected = m.property ? { property: m.property, kind: m.propertyKind ?? 'invariant', ...(m.violatingStep !== undefined ? { step: m.violatingStep } : {}) } : undefined;
  const isBad = (e: PropertyEvent) => e.status === 'fails';
  const reproduced = expected
    ? events.some((e) => e.property === expected.property || (expected.kind === 'deadlock' && e.kind === 'deadlock'))
    : events.some(isBad);
  const diverged = stateDivergence !== undefined || refusal !== undefined || substitutions.length > 0;
  return {
    source: saved.source,
    model: cm.model,
    design: cm.design,
    ...(m.design ? { recordedDesign: m.design } : {}),
    constants: cm.constants,
    recordedSteps: saved.steps.length - 1,
    trace: { steps, variables: layout.slotNames, ...(m.loop !== undefined ? { loopIndex: m.loop } : {}) },
    ...(stateDivergence ? { stateDivergence } : {}),
    ...(refusal ? { refusal } : {}),
    substitutions,
    ...(loopClosedBy ? { loopClosedBy } : {}),
    events,
    ...(expected ? { expected } : {}),
    reproduced,
    verdict: diverged ? 'diverges' : reproduced ? 'reproduces' : 'no-violation',
  };
}

/** 0 when the trace replays exactly and its violation reproduces; 1 otherwise. */
export function replayExitCode(r: ReplayReport): 0 | 1 {
  return r.verdict === 'reproduces' ? 0 : 1;
}

/** Why this design does not take `inst` from the core's current state, or undefined when it does (then `next` holds the successor). */
function refusalOf(core: TransitionCore, inst: ActionInstance, i: number): Refusal | undefined {
  const { cm } = core;
  const def = cm.actionDefs[inst.action];
  const why = core.step(inst);
  if (why === 'guard') {
    return {
      step: i, reason: 'guard', action: inst.name, label: cm.label(inst),
      guardSource: inst.guard!.toString(),
      ...(def?.guardDoc ? { guardDoc: def.guardDoc } : {}),
      ...(def?.source ? { actionSource: def.source } : {}),
      ...(withReads(guardReads(cm, inst, core.cur))),
    };
  }
  if (why === 'effect') {
    return { step: i, reason: 'effect', action: inst.name, label: cm.label(inst), ...(def?.source ? { actionSource: def.source } : {}) };
  }
  return undefined;
}

/** The instances of the same action on the same processes and files that this design does take from the current state. */
function enabledSiblings(core: TransitionCore, inst: ActionInstance): ActionInstance[] {
  const { cm } = core;
  const spec = cm.paramDomains(inst.name);
  const who = Object.keys(spec).filter((k) => spec[k]!.kind === 'index');
  return cm.instances.filter((o) => o.name === inst.name && o !== inst && who.every((k) => o.params[k] === inst.params[k]) &&
    core.step(o) === undefined);
}

function withReads(reads: GuardRead[] | undefined): { reads?: GuardRead[] } {
  return reads ? { reads } : {};
}

function resolve(cm: CompiledModel, rs: RecordedStep): { inst: ActionInstance } | { refusal: Refusal } {
  const name = rs.action!;
  if (name === 'Init') {
    throw new UsageError(`step ${rs.index}: Init is the initial state's action and cannot be a later step`);
  }
  let inst: ActionInstance | undefined;
  try {
    inst = instanceFor(cm, rs);
  } catch (e) {
    if (!(e instanceof ParamMismatch)) throw e;
    return { refusal: { step: rs.index, reason: 'parameters-differ', action: name, label: rs.label ?? name, detail: e.message } };
  }
  if (!inst) {
    return { refusal: { step: rs.index, reason: 'no-such-action', action: name, label: rs.label ?? name, known: cm.actionNames } };
  }
  return { inst };
}

/** For a trace that does not record its actions: the first instance that leads from the current state to the recorded one. */
function findLeadingTo(core: TransitionCore, want: Int32Array, step: number): { inst: ActionInstance } | { refusal: Refusal } {
  for (const inst of core.cm.instances) {
    if (core.step(inst) !== undefined) continue;
    if (diffSlots(core.cm, want, core.next).length === 0) { core.next.set(core.cur); return { inst }; }
  }
  core.next.set(core.cur);
  return { refusal: { step, reason: 'no-action-leads-there', action: '?', label: '?' } };
}

function diffSlots(cm: CompiledModel, recorded: Int32Array, replayed: Int32Array): VariableDiff[] {
  const out: VariableDiff[] = [];
  const { slotNames, slotDomains } = cm.layout;
  for (let i = 0; i < cm.layout.slots; i++) {
    if (recorded[i] !== replayed[i]) {
      out.push({ variable: slotNames[i]!, recorded: showScalar(slotDomains[i]!, recorded[i]!), replayed: showScalar(slotDomains[i]!, replayed[i]!) });
    }
  }
  return out;
}
