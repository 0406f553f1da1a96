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
import type { ModelDef } from '../checker/model.js';
import type { Trace, TraceStep } from '../checker/result.js';
import { UsageError } from '../checker/errors.js';
import { TransitionCore } from '../checker/core.js';
import { traceStep } from '../checker/trace.js';
import { type LeftOut, type PropertyKind, type SavedTrace, instanceFor, itfStateToPlain, leftOutVariables, variableOfSlot } from './codec.js';
import { type Refusal, type VariableDiff, diffSlots, enabledSiblings, findLeadingTo, refusalOf, resolve } from './replay-steps.js';
import { checkLasso } from './replay-lasso.js';

export interface ReplayOptions {
  /** The design to replay under; default the one recorded in the trace, else the model's own. */
  readonly design?: string;
  /** Constant overrides on top of the recorded ones. */
  readonly constants?: Readonly<Record<string, string | number>>;
}

export type { Refusal, RefusalReason, VariableDiff } from './replay-steps.js';

export interface StateDivergence {
  readonly step: number;
  readonly label: string;
  readonly diffs: readonly VariableDiff[];
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
  /** For a lasso: the action that leads from the last state back to the loop's state ('' when the last state is that state again). */
  readonly loopClosedBy?: string;
  /** For a lasso of a liveness property: the fairness conjuncts its cycle breaks (none: the cycle is fair). */
  readonly unfair?: readonly string[];
  /** The first step at which each property fails (or goal is reached) in the replayed run. */
  readonly events: readonly PropertyEvent[];
  /** What the trace was recorded to show, if it says. */
  readonly expected?: { readonly property: string; readonly kind: PropertyKind; readonly step?: number };
  /** The expected property fails (or goal is reached) in the replay; with no expectation, any property fails. */
  readonly reproduced: boolean;
  /** Variables not compared: a trace of a design with variables of its own, replayed under one without them (or the other way round). */
  readonly leftOut?: LeftOut;
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
  // Across designs whose state differs, the variables both have are compared and the others are named as left out.
  const leftOut = leftOutVariables(cm, saved);
  const partial = leftOut.notInModel.length > 0 || leftOut.notInTrace.length > 0;
  const compared = partial ? Uint8Array.from(layout.slotNames, (n) => (leftOut.notInTrace.includes(variableOfSlot(n)) ? 0 : 1)) : undefined;
  const recorded = saved.steps.map((s) => {
    const buf = layout.blank();
    layout.encode(itfStateToPlain(cm, s, partial), buf);
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
  const failing: number[] = [];
  // The replayed states and the instances taken, for a lasso's checks.
  const replayedStates: Int32Array[] = [];
  const taken: ActionInstance[] = [];

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
  const record = (i: number, inst: ActionInstance, before?: Int32Array) => {
    const step = traceStep(cm, i, inst, next, before);
    steps.push(step);
    replayedStates.push(next.slice());
    if (i > 0) taken.push(inst);
    const diffs = diffSlots(cm, recorded[i]!, next, compared);
    if (diffs.length && !stateDivergence) stateDivergence = { step: i, label: step.label, diffs };
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
      const d = diffSlots(cm, recorded[0]!, next, compared).length;
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
    const found = rs.action === undefined ? findLeadingTo(core, recorded[i]!, i, compared) : resolve(cm, rs, recorded[i - 1]!, recorded[i]!);
    if ('refusal' in found) { refusal = found.refusal; break; }
    const inst = found.inst;
    const refused = refusalOf(core, inst, i, rs.label);
    if (refused) {
      const alts = enabledSiblings(core, inst);
      refusal = { ...refused, ...(alts.length ? { alternatives: alts } : {}) };
      break;
    }
    core.failingActionProperties(cm.instances.indexOf(inst), failing);
    for (const k of failing) { const p = cm.actionProperties[k]!; note(p.name, 'action', 'fails', i, p.def.doc); }
    record(i, inst, cur);
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
  let closing: ActionInstance | undefined;
  if (!refusal && m.loop !== undefined) {
    const last = steps.length - 1;
    cur.set(next);
    if (diffSlots(cm, replayedStates[m.loop]!, next, compared).length === 0) loopClosedBy = '';
    else {
      const back = findLeadingTo(core, recorded[m.loop]!, last + 1, compared);
      if ('inst' in back) { loopClosedBy = cm.label(back.inst, cur, recorded[m.loop]!); closing = back.inst; }
      else refusal = { ...back.refusal, reason: 'loop-does-not-close', label: `back to step ${m.loop}` };
    }
    next.set(cur);
  }
  // A liveness property's lasso: the formula fails on it, and the fairness holds on its cycle.
  const live = m.propertyKind === 'liveness' ? cm.liveness.find((p) => p.name === m.property) : undefined;
  let unfair: readonly string[] | undefined;
  if (!refusal && live && m.loop !== undefined) {
    const lasso = checkLasso(core, live, replayedStates, taken, m.loop, closing);
    unfair = lasso.unfair;
    // A lasso fails as a whole; its last step is where the trace says so (encode.ts).
    if (lasso.violated && lasso.unfair.length === 0) note(live.name, 'liveness', 'fails', steps.length - 1, live.def.doc);
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
    ...(partial ? { leftOut } : {}),
    ...(refusal ? { refusal } : {}),
    ...(loopClosedBy !== undefined ? { loopClosedBy } : {}),
    ...(unfair ? { unfair } : {}),
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
