// The step-level work of a replay, on the transition core: finding the
// instance a recorded step names, saying why a design refuses it (with the
// guard's own words and what it read), the design's alternatives, and how a
// replayed state differs from the recorded one.

import type { ActionInstance, CompiledModel } from '../checker/compile.js';
import type { TransitionCore } from '../checker/core.js';
import { showScalar } from '../checker/domain.js';
import { UsageError } from '../checker/errors.js';
import { ParamMismatch, type RecordedStep, instanceFor } from './codec.js';
import { type GuardRead, guardReads } from './guard-reads.js';

export interface VariableDiff {
  readonly variable: string;
  readonly recorded: string | number | boolean;
  readonly replayed: string | number | boolean;
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

/**
 * Why this design does not take `inst` from the core's current state, or
 * undefined when it does (then `next` holds the successor). A refused step
 * has no state after it, so it is named by its recorded label when the trace
 * has one.
 */
export function refusalOf(core: TransitionCore, inst: ActionInstance, i: number, recordedLabel?: string): Refusal | undefined {
  const { cm } = core;
  const def = cm.actionDefs[inst.action];
  const label = recordedLabel ?? cm.label(inst);
  const why = core.step(inst);
  if (why === 'guard') {
    return {
      step: i, reason: 'guard', action: inst.name, label,
      guardSource: inst.guard!.toString(),
      ...(def?.guardDoc ? { guardDoc: def.guardDoc } : {}),
      ...(def?.source ? { actionSource: def.source } : {}),
      ...(withReads(guardReads(cm, inst, core.cur))),
    };
  }
  if (why === 'effect') {
    return { step: i, reason: 'effect', action: inst.name, label, ...(def?.source ? { actionSource: def.source } : {}) };
  }
  return undefined;
}

/** The labels of the instances of the same action on the same processes and files that this design does take from the current state. */
export function enabledSiblings(core: TransitionCore, inst: ActionInstance): string[] {
  const { cm, cur, next } = core;
  const spec = cm.paramDomains(inst.name);
  const who = Object.keys(spec).filter((k) => spec[k]!.kind === 'index');
  const out: string[] = [];
  for (const o of cm.instances) {
    if (o.name !== inst.name || o === inst || !who.every((k) => o.params[k] === inst.params[k])) continue;
    if (core.step(o) === undefined) out.push(cm.label(o, cur, next));
  }
  next.set(cur);
  return out;
}

function withReads(reads: GuardRead[] | undefined): { reads?: GuardRead[] } {
  return reads ? { reads } : {};
}

export function resolve(cm: CompiledModel, rs: RecordedStep, before: Int32Array, after: Int32Array): { inst: ActionInstance } | { refusal: Refusal } {
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

/** For a trace that does not record its actions: the first instance that leads from the current state to the recorded one. */
export function findLeadingTo(core: TransitionCore, want: Int32Array, step: number, compared?: Uint8Array): { inst: ActionInstance } | { refusal: Refusal } {
  for (const inst of core.cm.instances) {
    if (core.step(inst) !== undefined) continue;
    if (diffSlots(core.cm, want, core.next, compared).length === 0) { core.next.set(core.cur); return { inst }; }
  }
  core.next.set(core.cur);
  return { refusal: { step, reason: 'no-action-leads-there', action: '?', label: '?' } };
}

/** The slots that differ; `compared` (1 per slot) leaves out the variables a trace does not record. */
export function diffSlots(cm: CompiledModel, recorded: Int32Array, replayed: Int32Array, compared?: Uint8Array): VariableDiff[] {
  const out: VariableDiff[] = [];
  const { slotNames, slotDomains } = cm.layout;
  for (let i = 0; i < cm.layout.slots; i++) {
    if (recorded[i] !== replayed[i] && (compared === undefined || compared[i] === 1)) {
      out.push({ variable: slotNames[i]!, recorded: showScalar(slotDomains[i]!, recorded[i]!), replayed: showScalar(slotDomains[i]!, replayed[i]!) });
    }
  }
  return out;
}
