// Re-executes a saved trace through a model's own actions, under the design
// and constants asked for (by default those it was recorded with), and says
// whether it still happens: every step enabled and reproducing the recorded
// state, and the recorded violation still failing — or where it stops.
//
// Two kinds of divergence. A step whose resulting state differs is noted and
// the replay goes on from the replayed state, because "the fix changes the
// state here, and then refuses that step there" is what a developer wants to
// see; an operation that happens differently under this design (a close that
// now evicts) is such a step, since an outcome is read from the states, not
// named by a parameter. A step that cannot be taken at all (no such action,
// its guard refuses, its effect refuses) ends the replay.

import { type ActionInstance, type CompiledModel, compile } from '../checker/compile.js';
import { showScalar } from '../checker/domain.js';
import type { ModelDef } from '../checker/model.js';
import type { Trace, TraceStep } from '../checker/result.js';
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
  const cur = layout.blank();
  const next = layout.blank();
  const curView = layout.view(cur);
  const nextView = layout.view(next);
  const steps: TraceStep[] = [];
  const events: PropertyEvent[] = [];
  const seen = new Set<string>();
  let stateDivergence: StateDivergence | undefined;
  let refusal: Refusal | undefined;

  const note = (property: string, kind: PropertyKind, status: 'fails' | 'reached', step: number, doc?: string) => {
    if (seen.has(property)) return;
    seen.add(property);
    events.push({ property, kind, status, step, ...(doc ? { doc } : {}) });
  };
  const checkState = (i: number) => {
    for (const p of cm.invariants) if (!p.def.holds(nextView as never)) note(p.name, 'invariant', 'fails', i, p.def.doc);
    for (const g of cm.goals) if (g.def.reached(nextView as never)) note(g.name, 'reachable', 'reached', i, g.def.doc);
  };
  const record = (i: number, inst: ActionInstance, before?: Int32Array) => {
    const label = cm.label(inst, before, next);
    steps.push({ index: i, action: inst.name, params: cm.showParams(inst), label, state: layout.decode(next) });
    const diffs = diffSlots(cm, recorded[i]!, next);
    if (diffs.length && !stateDivergence) stateDivergence = { step: i, label, diffs };
  };

  // ---- the initial state -------------------------------------------------
  const first = saved.steps[0]!;
  const named = first.action === 'Init' ? instanceFor(cm, first) : undefined;
  const runInit = (inst: ActionInstance) => { next.set(layout.lo); return inst.effect(nextView, inst.params) !== false; };
  let init: ActionInstance | undefined;
  if (named) {
    if (runInit(named)) init = named;
  } else {
    // No recorded parameters: the initial state that equals the recorded one, else the closest.
    let best: { inst: ActionInstance; d: number } | undefined;
    for (const inst of cm.inits) {
      if (!runInit(inst)) continue;
      const d = diffSlots(cm, recorded[0]!, next).length;
      if (!best || d < best.d) best = { inst, d };
    }
    if (best) { init = best.inst; runInit(init); }
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
    const found = rs.action === undefined ? findLeadingTo(cm, cur, recorded[i]!, next, i) : resolve(cm, rs, recorded[i - 1]!, recorded[i]!);
    if ('refusal' in found) { refusal = found.refusal; break; }
    const inst = found.inst;
    const refused = refusalOf(cm, inst, cur, curView, next, nextView, i, rs.label);
    if (refused) {
      const alts = enabledSiblings(cm, inst, cur, curView, next, nextView);
      refusal = { ...refused, ...(alts.length ? { alternatives: alts } : {}) };
      break;
    }
    for (const p of cm.actionProperties) {
      if (!p.def.holds(curView as never, inst.step, nextView as never)) note(p.name, 'action', 'fails', i, p.def.doc);
    }
    record(i, inst, cur);
    checkState(i);
  }

  // A deadlock trace shows a state with no enabled action; that is a property of the last replayed state.
  if (!refusal && steps.length > 0 && (saved.meta.propertyKind === 'deadlock' || cm.checkDeadlock)) {
    cur.set(next);
    const anyEnabled = cm.instances.some((inst) => {
      if (inst.guard && !inst.guard(curView, inst.params)) return false;
      next.set(cur);
      return inst.effect(nextView, inst.params) !== false;
    });
    next.set(cur);
    if (!anyEnabled) note('Deadlock', 'deadlock', 'fails', steps.length - 1, 'no action is enabled');
  }

  // A lasso's last state must lead back to the state its loop starts at.
  const m = saved.meta;
  let loopClosedBy: string | undefined;
  if (!refusal && m.loop !== undefined) {
    const last = steps.length - 1;
    cur.set(next);
    const back = findLeadingTo(cm, cur, recorded[m.loop]!, next, last + 1);
    if ('inst' in back) loopClosedBy = cm.label(back.inst, cur, recorded[m.loop]!);
    else refusal = { ...back.refusal, reason: 'loop-does-not-close', label: `back to step ${m.loop}` };
    next.set(cur);
  }

  const expected = m.property ? { property: m.property, kind: m.propertyKind ?? 'invariant', ...(m.violatingStep !== undefined ? { step: m.violatingStep } : {}) } : undefined;
  const isBad = (e: PropertyEvent) => e.status === 'fails';
  const reproduced = expected
    ? events.some((e) => e.property === expected.property || (expected.kind === 'deadlock' && e.kind === 'deadlock'))
    : events.some(isBad);
  const diverged = stateDivergence !== undefined || refusal !== undefined;
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

/**
 * Why this design does not take `inst` from `cur`, or undefined when it does
 * (then `next` holds the successor). A refused step has no state after it, so
 * it is named by its recorded label when the trace has one.
 */
function refusalOf(
  cm: CompiledModel, inst: ActionInstance, cur: Int32Array, curView: unknown, next: Int32Array, nextView: unknown, i: number, recordedLabel?: string,
): Refusal | undefined {
  const def = cm.actionDefs[inst.action];
  const label = recordedLabel ?? cm.label(inst);
  if (inst.guard && !inst.guard(curView, inst.params)) {
    return {
      step: i, reason: 'guard', action: inst.name, label,
      guardSource: inst.guard.toString(),
      ...(def?.guardDoc ? { guardDoc: def.guardDoc } : {}),
      ...(def?.source ? { actionSource: def.source } : {}),
      ...(withReads(guardReads(cm, inst, cur))),
    };
  }
  next.set(cur);
  if (inst.effect(nextView, inst.params) === false) {
    return { step: i, reason: 'effect', action: inst.name, label, ...(def?.source ? { actionSource: def.source } : {}) };
  }
  return undefined;
}

/** The labels of the instances of the same action on the same processes and files that this design does take from `cur`. */
function enabledSiblings(cm: CompiledModel, inst: ActionInstance, cur: Int32Array, curView: unknown, next: Int32Array, nextView: unknown): string[] {
  const spec = cm.paramDomains(inst.name);
  const who = Object.keys(spec).filter((k) => spec[k]!.kind === 'index');
  const out: string[] = [];
  for (const o of cm.instances) {
    if (o.name !== inst.name || o === inst || !who.every((k) => o.params[k] === inst.params[k])) continue;
    if (refusalOf(cm, o, cur, curView, next, nextView, 0) === undefined) out.push(cm.label(o, cur, next));
  }
  next.set(cur);
  return out;
}

function withReads(reads: GuardRead[] | undefined): { reads?: GuardRead[] } {
  return reads ? { reads } : {};
}

function resolve(cm: CompiledModel, rs: RecordedStep, before: Int32Array, after: Int32Array): { inst: ActionInstance } | { refusal: Refusal } {
  const name = rs.action!;
  if (name === 'Init') {
    throw new UsageError(`step ${rs.index}: Init is the initial state's action and cannot be a later step`);
  }
  let inst: ActionInstance | undefined;
  try {
    inst = instanceFor(cm, rs, before, after);
  } catch (e) {
    if (!(e instanceof ParamMismatch)) throw e;
    return { refusal: { step: rs.index, reason: 'parameters-differ', action: name, label: rs.label ?? name, detail: e.message } };
  }
  if (!inst) {
    return { refusal: { step: rs.index, reason: 'no-such-action', action: name, label: rs.label ?? name, known: cm.actionNames } };
  }
  return { inst };
}

/** For a trace that does not record its actions: the first instance that leads from `cur` to the recorded state. */
function findLeadingTo(cm: CompiledModel, cur: Int32Array, want: Int32Array, next: Int32Array, step: number): { inst: ActionInstance } | { refusal: Refusal } {
  const curView = cm.layout.view(cur);
  const nextView = cm.layout.view(next);
  for (const inst of cm.instances) {
    if (inst.guard && !inst.guard(curView, inst.params)) continue;
    next.set(cur);
    if (inst.effect(nextView, inst.params) === false) continue;
    if (diffSlots(cm, want, next).length === 0) { next.set(cur); return { inst }; }
  }
  next.set(cur);
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
