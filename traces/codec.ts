// What a saved trace is, and reading one (ours or another tool's) back
// against a model; encode.ts writes them. Reading gives the file's structure
// as a SavedTrace, each recorded state as the model's plain values checked
// against its schema, and each recorded step as the action instance it names.
//
// Reading accepts more than encode.ts writes, so that a TLA+ or Quint spec
// with the same variables replays: an index may also be a 1-based integer; a
// function may also be a list, or a map keyed by tuples <<p, f>>; a boolean
// function may also be the set of indices where it is true.

import { type ActionInstance, type CompiledModel, type ParamValue, parseParam, sameParam } from '../checker/compile.js';
import type { Trace, TraceStep } from '../checker/result.js';
import { type ItfRecord, type ItfState, type ItfTrace, type ItfValue, ItfError, isRecord, showItf } from './itf.js';
import { parseItf } from './itf-read.js';
import { itfToPlain } from './itf-value.js';

export const ACTION_VAR = 'mbt::actionTaken';
export const PICKS_VAR = 'mbt::nondetPicks';
const INIT_NAMES = new Set(['Init', 'init', 'q::init', '']);

export type PropertyKind = 'invariant' | 'action' | 'reachable' | 'liveness' | 'deadlock';

/** What a saved trace says about the run that produced it. */
export interface TraceMeta {
  readonly model?: string;
  readonly design?: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly property?: string;
  readonly propertyKind?: PropertyKind;
  readonly propertyDoc?: string;
  /** The step at which the property fails (the last one unless recorded). */
  readonly violatingStep?: number;
  readonly loop?: number;
}

export interface RecordedStep {
  readonly index: number;
  /** Absent when the trace does not say (a plain TLA+ trace); replay then finds one. */
  readonly action?: string;
  readonly params?: Readonly<Record<string, ItfValue>>;
  readonly label?: string;
  /** The model's variables only (no mbt:: variables, no params). */
  readonly values: Readonly<Record<string, ItfValue>>;
}

export interface SavedTrace {
  readonly source: string;
  readonly meta: TraceMeta;
  /** The model variables (ITF vars less the mbt:: ones). */
  readonly vars: readonly string[];
  readonly steps: readonly RecordedStep[];
}

export function readSavedTrace(text: string, source: string): SavedTrace {
  return fromItf(parseItf(text, source), source);
}

export function fromItf(itf: ItfTrace, source: string): SavedTrace {
  const m = itf.meta;
  const fail = (msg: string): never => { throw new ItfError(`${source}: ${msg}`); };
  const str = (k: string): string | undefined => {
    const v = m[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') fail(`#meta.${k} must be a non-empty string, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const constants: Record<string, number | string> = {};
  if (m.constants !== undefined) {
    if (typeof m.constants !== 'object' || m.constants === null || Array.isArray(m.constants)) fail('#meta.constants must be an object of NAME: value');
    for (const [k, v] of Object.entries(m.constants as Record<string, unknown>)) {
      if (typeof v !== 'number' && typeof v !== 'string') fail(`#meta.constants.${k} must be a number or a string, got ${JSON.stringify(v)}`);
      constants[k] = v as number | string;
    }
  }
  const s0 = itf.states[0]!.values;
  for (const p of itf.params) {
    const v = s0[p]!;
    const val = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? v : fail(`step 0, parameter ${p}: expected an integer or a string, got ${showItf(v)}`);
    if (p in constants && constants[p] !== val) fail(`step 0, parameter ${p}: ${val} disagrees with #meta.constants.${p} = ${constants[p]}`);
    constants[p] = val;
  }
  const kind = str('propertyKind');
  if (kind !== undefined && !['invariant', 'action', 'reachable', 'liveness', 'deadlock'].includes(kind)) {
    fail(`#meta.propertyKind must be invariant, action, reachable, liveness or deadlock, got ${JSON.stringify(kind)}`);
  }
  const vs = m.violatingStep;
  if (vs !== undefined && (!Number.isInteger(vs) || (vs as number) < 0 || (vs as number) >= itf.states.length)) {
    fail(`#meta.violatingStep must be a step index in 0..${itf.states.length - 1}, got ${JSON.stringify(vs)}`);
  }
  const vars = itf.vars.filter((v) => v !== ACTION_VAR && v !== PICKS_VAR);
  const steps = itf.states.map((s, i): RecordedStep => {
    const values: Record<string, ItfValue> = {};
    for (const v of vars) values[v] = s.values[v]!;
    const { action, params } = actionOf(s, i, fail);
    const label = typeof s.meta.label === 'string' ? s.meta.label : undefined;
    return { index: i, ...(action !== undefined ? { action } : {}), ...(params ? { params } : {}), ...(label ? { label } : {}), values };
  });
  const meta: TraceMeta = {
    model: str('model'), design: str('design'), constants,
    property: str('property'), propertyKind: kind as PropertyKind | undefined, propertyDoc: str('propertyDoc'),
    violatingStep: vs as number | undefined, loop: itf.loop,
  };
  return { source, meta, vars, steps };
}

/** The action of a step: Quint's mbt:: variables first, else the state's #meta.action / #meta.params. */
function actionOf(s: ItfState, i: number, fail: (m: string) => never): { action?: string; params?: Record<string, ItfValue> } {
  const at = `step ${i}`;
  let action: string | undefined;
  const taken = s.values[ACTION_VAR] ?? s.meta.action;
  if (taken !== undefined) {
    if (typeof taken !== 'string') fail(`${at}, field ${ACTION_VAR}: expected the action's name as a string, got ${showItf(taken as ItfValue)}`);
    action = INIT_NAMES.has(taken as string) && i === 0 ? 'Init' : taken as string;
  }
  const picks = s.values[PICKS_VAR] ?? (s.meta.params as ItfValue | undefined);
  if (picks === undefined) return { action };
  if (!isRecord(picks)) fail(`${at}, field ${PICKS_VAR}: expected a record of parameter values, got ${showItf(picks)}`);
  const params: Record<string, ItfValue> = {};
  for (const [k, v] of Object.entries(picks as ItfRecord)) {
    // Quint wraps each pick in an option: {tag: "Some", value: v} or {tag: "None", ...}.
    if (isRecord(v) && typeof v.tag === 'string' && 'value' in v && Object.keys(v).length === 2) {
      if (v.tag === 'Some') params[k] = v.value!;
      else if (v.tag !== 'None') fail(`${at}, field ${PICKS_VAR}.${k}: an option's tag is Some or None, got ${v.tag}`);
    } else {
      params[k] = v;
    }
  }
  return { action, params };
}

/** The variables a trace and a model do not share: the trace's that the model lacks, and the model's that the trace lacks. */
export interface LeftOut { readonly notInModel: readonly string[]; readonly notInTrace: readonly string[] }

export function leftOutVariables(cm: CompiledModel, saved: SavedTrace): LeftOut {
  const fields = cm.layout.schema.fields;
  const values = saved.steps[0]?.values ?? {};
  return {
    notInModel: Object.keys(values).filter((k) => !(k in fields)),
    notInTrace: Object.keys(fields).filter((k) => !(k in values)),
  };
}

/**
 * One recorded state as Layout.decode's plain form, checked against the
 * compiled model's schema. `shared`: only the variables both have are read
 * (the trace's others are left out, the model's others take their smallest
 * value), for a replay across designs whose state differs. Without it, a
 * trace that only lacks some of the model's variables reads those at their
 * smallest value too; one with a variable the model lacks is an error.
 */
export function itfStateToPlain(cm: CompiledModel, step: RecordedStep, shared = false): unknown {
  const fields = cm.layout.schema.fields;
  const extra = Object.keys(step.values).filter((k) => !(k in fields));
  const missing = Object.keys(fields).filter((k) => !(k in step.values));
  // A trace recorded before the model gained a variable (and lacking nothing else) reads it at its
  // smallest value, the value every design that does not move it keeps (the 5.8-5.10 design's dLru).
  if ((shared || extra.length === 0) && missing.length) {
    const blank = cm.layout.decode(cm.layout.blank()) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, d] of Object.entries(fields)) out[k] = k in step.values ? itfToPlain(d, step.values[k]!, `step ${step.index}, field ${k}`) : blank[k];
    return out;
  }
  if (!shared && (extra.length || missing.length)) {
    throw new ItfError(`step ${step.index}: the trace's variables do not match model ${cm.model}` +
      `${extra.length ? `; not in the model: ${extra.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}` +
      ` (the model's variables are ${Object.keys(fields).join(', ')})`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(fields)) out[k] = itfToPlain(d, step.values[k]!, `step ${step.index}, field ${k}`);
  return out;
}

/** The variable a slot belongs to: `vma` of `vma[p1][f2]`. */
export const variableOfSlot = (slot: string): string => slot.split(/[.[]/)[0]!;

/**
 * Decodes every step against the compiled model, as a checker Trace (the form
 * explain and html print). `shared`: a trace of a design whose state differs
 * (leftOutVariables) is shown on the variables both have; the model's
 * variables the trace does not record are not shown.
 */
export function decodeTrace(saved: SavedTrace, cm: CompiledModel, shared = false): Trace {
  const unrecorded = shared ? leftOutVariables(cm, saved).notInTrace : [];
  const plains = saved.steps.map((s) => itfStateToPlain(cm, s, shared));
  const shown = (plain: unknown): unknown => unrecorded.length === 0 ? plain
    : Object.fromEntries(Object.entries(plain as Record<string, unknown>).filter(([k]) => !unrecorded.includes(k)));
  const vectors = plains.map((plain) => {
    const buf = cm.layout.blank();
    try { cm.layout.encode(plain, buf); } catch { return undefined; }
    return buf;
  });
  const steps: TraceStep[] = saved.steps.map((s, i) => {
    const state = plains[i];
    const action = s.action ?? (s.index === 0 ? 'Init' : '?');
    const before = i > 0 ? vectors[i - 1] : undefined;
    const inst = s.action !== undefined ? instanceFor(cm, s, before, vectors[i]) : undefined;
    const params = inst ? cm.showParams(inst) : showPicks(s.params);
    const label = inst ? cm.label(inst, before, vectors[i]) : s.label ?? (action + (Object.keys(params).length ? `(${Object.values(params).join(', ')})` : ''));
    return { index: s.index, action, params, label, state: shown(state) };
  });
  return {
    steps,
    variables: unrecorded.length ? cm.layout.slotNames.filter((n) => !unrecorded.includes(variableOfSlot(n))) : cm.layout.slotNames,
    ...(saved.meta.violatingStep !== undefined ? { violatingStep: saved.meta.violatingStep } : {}),
    ...(saved.meta.loop !== undefined ? { loopIndex: saved.meta.loop } : {}),
  };
}

function showPicks(p: Readonly<Record<string, ItfValue>> | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' || typeof v === 'string' ? v : showItf(v);
  return out;
}

/**
 * A recorded step's parameters do not fit the action's parameters in this
 * design (a design may add or drop one, e.g. O_RDONLY opens). Replay turns it
 * into a divergence; everywhere else it is bad input.
 */
export class ParamMismatch extends ItfError {
  override name = 'ParamMismatch';
}

/**
 * The action instance a recorded step names, or undefined when this design
 * has no such action (a replay divergence, not bad input). When the recorded
 * parameters are not the ones this design's action takes, the instance with
 * the same label is the same operation in the model's words (Open(O_RDWR) p1 f1
 * is one open whether or not the design also has read-only opens); a label
 * that reads the step's states is computed on the recorded `before` and `after`.
 */
export function instanceFor(cm: CompiledModel, s: RecordedStep, before?: Int32Array, after?: Int32Array): ActionInstance | undefined {
  const name = s.action!;
  if (name !== 'Init' && !cm.actionNames.includes(name)) return undefined;
  const spec = cm.paramDomains(name);
  const given = s.params ?? {};
  const pool = name === 'Init' ? cm.inits : cm.instances.filter((i) => i.name === name);
  const extra = Object.keys(given).filter((k) => !(k in spec));
  const missing = Object.keys(spec).filter((k) => !(k in given));
  if (extra.length || missing.length) {
    // Init's parameters may be left out, or be another model version's (one scalar per file):
    // replay then finds the initial state that matches the recorded one.
    if (name === 'Init') return undefined;
    const byLabel = s.label !== undefined ? pool.find((i) => cm.label(i, before, after) === s.label) : undefined;
    if (byLabel) return byLabel;
    const k = extra[0] ?? missing[0]!;
    throw new ParamMismatch(`step ${s.index}, parameter ${k} of ${name}: ${extra.length ? 'no such parameter' : 'missing'} in design ${cm.design} ` +
      `(its ${name} takes ${Object.keys(spec).join(', ') || 'none'}; the trace gives ${Object.keys(given).join(', ') || 'none'})`);
  }
  const want: Record<string, ParamValue> = {};
  for (const [k, d] of Object.entries(spec)) {
    const plain = itfToPlain(d, given[k]!, `step ${s.index}, parameter ${k} of ${name}`);
    want[k] = parseParam(d, plain)!;
  }
  return pool.find((i) => Object.keys(spec).every((k) => sameParam(i.params[k], want[k])));
}
