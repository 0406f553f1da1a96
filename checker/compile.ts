// Turns a model definition, a design and constant overrides into what the
// engine runs: a layout, the action instances (every action crossed with every
// value of its parameters), and the properties sorted by kind.

import { type ArrayDomain, type IndexSet, type RecordDomain, type ScalarDomain, isScalar, scalarBounds, showScalar, parseScalar, describeDomain } from './domain.js';
import { Layout, type View } from './layout.js';
import {
  type ActionDef, type ActionProperty, type ConstantDecl, type InitParamSpec, type Invariant, type LivenessProperty, type ModelDef,
  type ReachabilityGoal, type StepInfo, partsFor,
} from './model.js';
import { UsageError } from './errors.js';
import { indexSetsOf } from './symmetry.js';
import { type CompiledLiveness, compileLiveness } from './liveness/compiled.js';

/** A parameter's value: a number, or for an initial state's function parameter one number per index. */
export type ParamValue = number | readonly number[];
/** A parameter as a user reads it: `p1`, `true`, `'small'`, or a list of those for a function. */
export type ShownParam = string | number | boolean | readonly (string | number | boolean)[];

export interface ActionInstance {
  /** Index into CompiledModel.actionNames; -1 for an initial state. */
  readonly action: number;
  readonly name: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly guard: ((s: any, a: any) => boolean) | undefined;
  readonly effect: (s: any, a: any) => void | boolean;
  readonly step: StepInfo;
}

export interface Named<T> { readonly name: string; readonly def: T }

/** An action property with the indices of the actions it constrains (undefined: every action). */
export interface CompiledActionProperty extends Named<ActionProperty> {
  readonly actions: readonly number[] | undefined;
}

export interface CompiledModel {
  readonly model: string;
  readonly design: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly layout: Layout;
  readonly inits: readonly ActionInstance[];
  readonly instances: readonly ActionInstance[];
  readonly actionNames: readonly string[];
  readonly actionDefs: readonly ActionDef[];
  readonly invariants: readonly Named<Invariant>[];
  /**
   * `def.holds` already answers true on a step of an action outside `actions`,
   * so an engine may evaluate every property on every step; one that skips
   * those steps gets the same verdicts faster.
   */
  readonly actionProperties: readonly CompiledActionProperty[];
  readonly goals: readonly Named<ReachabilityGoal>[];
  /** Temporal properties, checked over the state graph after the search (checker/liveness/). */
  readonly liveness: readonly CompiledLiveness[];
  readonly constraint: ((s: View<any>) => boolean) | undefined;
  readonly checkDeadlock: boolean;
  /** The index sets the model declares interchangeable (ModelDef.symmetric), resolved against this design's schema. */
  readonly symmetric: readonly IndexSet[];
  /** The index set that splits the state into components (ModelDef.components), for partial-order reduction. */
  readonly components: IndexSet | undefined;
  /** The design's notes (ModelParts.notes), e.g. which cut it was checked with. */
  readonly notes: Readonly<Record<string, string>>;
  /**
   * Prints one step in the model's words. A label that reads the step's states
   * needs `before` and `after` (the raw state vectors); without them it is
   * `Name(params)`.
   */
  label(inst: ActionInstance, before?: Int32Array, after?: Int32Array): string;
  /** Parameters as a user reads them: `{p: 'p1', f: 'f2', v: true}`. */
  showParams(inst: ActionInstance): Record<string, ShownParam>;
  /** The parameter domains of an action, or of `Init` (whose parameters may be functions). */
  paramDomains(action: string): InitParamSpec;
}

/** Resolves constant overrides given as strings (from the command line) against the declarations. */
function resolveConstants(
  model: ModelDef<any, any>, overrides: Readonly<Record<string, string | number>>,
): Record<string, number | string> {
  const decls = model.constants as Record<string, ConstantDecl>;
  const out: Record<string, number | string> = {};
  for (const [k, d] of Object.entries(decls)) out[k] = d.default;
  for (const [k, raw] of Object.entries(overrides)) {
    const d = decls[k];
    if (!d) {
      const known = Object.keys(decls);
      throw new UsageError(`model ${model.name} has no constant '${k}'; its constants are: ${known.length ? known.join(', ') : '(none)'}`);
    }
    if (d.kind === 'int') {
      const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < d.lo || n > d.hi) {
        throw new UsageError(`constant ${k}=${raw} is out of range: ${k} takes an integer in ${d.lo}..${d.hi}`);
      }
      out[k] = n;
    } else {
      if (!d.values.includes(String(raw))) {
        throw new UsageError(`constant ${k}=${raw} is not accepted: ${k} takes one of ${d.values.join(', ')}`);
      }
      out[k] = String(raw);
    }
  }
  return out;
}

export function compile(
  model: ModelDef<any, any>, design: string | undefined, overrides: Readonly<Record<string, string | number>> = {},
): CompiledModel {
  const designName = design ?? model.defaultDesign;
  if (!(designName in model.designs)) {
    throw new UsageError(`model ${model.name} has no design '${designName}'; its designs are: ${Object.keys(model.designs).join(', ')}`);
  }
  const constants = resolveConstants(model, overrides);
  const parts = partsFor(model, designName, constants);
  const layout = new Layout(parts.schema);

  const actionNames = Object.keys(parts.actions);
  const actionDefs = actionNames.map((n) => parts.actions[n]!);
  const instances: ActionInstance[] = [];
  actionDefs.forEach((def, ai) => {
    const name = actionNames[ai]!;
    if (def.actor !== undefined && def.params[def.actor]?.kind !== 'index') {
      throw new Error(`action ${name}: its actor '${def.actor}' is not one of its index-set parameters (${Object.keys(def.params).join(', ') || 'none'})`);
    }
    for (const params of expand(def.params)) {
      const p = params as Readonly<Record<string, number>>;
      const step: StepInfo = Object.freeze(def.actor !== undefined ? { action: name, params: p, process: p[def.actor]! } : { action: name, params: p });
      instances.push({ action: ai, name, params, guard: def.guard, effect: def.effect, step });
    }
  });
  const initStep: StepInfo = Object.freeze({ action: 'Init', params: {} });
  const inits = expand(parts.init.params).map((params): ActionInstance => (
    { action: -1, name: 'Init', params, guard: undefined, effect: parts.init.effect, step: initStep }));

  const props = Object.entries(parts.properties);
  const pick = <K extends 'invariant' | 'action' | 'reachable' | 'liveness'>(kind: K) =>
    props.filter(([, p]) => p.kind === kind).map(([name, def]) => ({ name, def })) as any[];
  const goals = pick('reachable') as Named<ReachabilityGoal>[];
  for (const [name, p] of props) {
    for (const g of p.nonVacuousIf ?? []) {
      if (!goals.some((x) => x.name === g)) throw new Error(`property ${name} names goal '${g}', which the model does not define`);
    }
  }
  const actionProperties = (pick('action') as Named<ActionProperty>[]).map((p) => constrained(p, actionNames));

  // Views of the vectors a label is asked about; callers pass the same scratch vectors step after step.
  const views = new WeakMap<Int32Array, View<any>>();
  const viewOf = (buf: Int32Array) => {
    let v = views.get(buf);
    if (!v) { v = layout.view(buf); views.set(buf, v); }
    return v;
  };
  const paramText = (spec: InitParamSpec, params: Readonly<Record<string, ParamValue>>) =>
    Object.entries(spec).map(([k, d]) => String(show(d, params[k]!)));
  const paramLabel = (inst: ActionInstance) => {
    const args = paramText(actionDefs[inst.action]!.params, inst.params);
    return args.length ? `${inst.name}(${args.join(', ')})` : inst.name;
  };

  return {
    model: model.name,
    design: designName,
    constants,
    layout,
    inits,
    instances,
    actionNames,
    actionDefs,
    invariants: pick('invariant'),
    actionProperties,
    goals,
    liveness: (pick('liveness') as Named<LivenessProperty>[]).map((p) => compileLiveness(
      p.name, p.def, parts.fairness ?? [], actionNames, instances, (inst) => paramLabel(inst as ActionInstance))),
    constraint: parts.constraint,
    checkDeadlock: parts.checkDeadlock ?? true,
    symmetric: symmetricSets(model, parts.schema),
    components: model.components === undefined ? undefined : indexSetNamed(model, parts.schema, model.components, 'components'),
    notes: parts.notes ?? {},
    label(inst, before, after) {
      const def = inst.action < 0 ? undefined : actionDefs[inst.action];
      const params = inst.params as Readonly<Record<string, number>>;
      if (def?.label) {
        if (def.label.length < 2) return def.label(params, undefined as never, undefined as never);
        if (before && after) return def.label(params, viewOf(before), viewOf(after));
      }
      const args = def ? paramText(def.params, inst.params) : [];
      return args.length ? `${inst.name}(${args.join(', ')})` : inst.name;
    },
    showParams(inst) {
      const spec: InitParamSpec = inst.action < 0 ? parts.init.params : actionDefs[inst.action]!.params;
      const out: Record<string, ShownParam> = {};
      for (const [k, d] of Object.entries(spec)) out[k] = show(d, inst.params[k]!);
      return out;
    },
    paramDomains(name) {
      if (name === 'Init') return parts.init.params;
      const def = parts.actions[name];
      if (!def) throw new UsageError(`no action '${name}'; actions are: ${actionNames.join(', ')}`);
      return def.params;
    },
  };
}

/** The declared symmetric sets as the schema has them; a prefix the schema has no index set of is a bug in the model. */
function symmetricSets(model: ModelDef<any, any>, schema: RecordDomain): IndexSet[] {
  return (model.symmetric ?? []).map((prefix) => indexSetNamed(model, schema, prefix, 'symmetric'));
}

function indexSetNamed(model: ModelDef<any, any>, schema: RecordDomain, prefix: string, as: string): IndexSet {
  const have = indexSetsOf(schema);
  const set = have.get(prefix);
  if (!set) throw new Error(`model ${model.name} declares index set '${prefix}' ${as}, but its state has no such index set; it has: ${[...have.keys()].join(', ') || '(none)'}`);
  return set;
}

/** Resolves a property's `actions` to indices, naming the property and the unknown action if one is not in the model. */
function constrained(p: Named<ActionProperty>, actionNames: readonly string[]): CompiledActionProperty {
  const names = p.def.actions;
  if (names === undefined) return { ...p, actions: undefined };
  const indices = names.map((n) => {
    const i = actionNames.indexOf(n);
    if (i < 0) throw new Error(`property ${p.name} constrains action '${n}', which this design does not have; its actions are: ${actionNames.join(', ')}`);
    return i;
  });
  const wanted = new Set(names);
  const holds = p.def.holds;
  return { name: p.name, def: { ...p.def, holds: (before, step, after) => !wanted.has(step.action) || holds(before, step, after) }, actions: Object.freeze(indices) };
}

function show(d: ScalarDomain | ArrayDomain<ScalarDomain>, v: ParamValue): ShownParam {
  if (isScalar(d)) return showScalar(d, v as number);
  return (v as readonly number[]).map((x) => showScalar(d.element, x));
}

/** Parses a parameter given as a number or as printed (a list for a function); undefined when it is not in the domain. */
export function parseParam(d: ScalarDomain | ArrayDomain<ScalarDomain>, raw: unknown): ParamValue | undefined {
  if (isScalar(d)) return typeof raw === 'number' && d.kind !== 'bool' ? raw : parseScalar(d, raw);
  if (!Array.isArray(raw) || raw.length !== d.index.size) return undefined;
  const out: number[] = [];
  for (const x of raw) {
    const v = typeof x === 'number' && d.element.kind !== 'bool' ? x : parseScalar(d.element, x);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

export function sameParam(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number' || a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Finds the instance of `action` with the given parameters (as numbers or as printed). */
export function findInstance(cm: CompiledModel, action: string, params: Record<string, unknown>): ActionInstance | undefined {
  const pool = action === 'Init' ? cm.inits : cm.instances.filter((i) => i.name === action);
  if (pool.length === 0) return undefined;
  const spec = cm.paramDomains(action);
  const want: Record<string, ParamValue> = {};
  for (const [k, d] of Object.entries(spec)) {
    const v = parseParam(d, params[k]);
    if (v === undefined) throw new UsageError(`${action}: parameter ${k}=${JSON.stringify(params[k])} is not in ${describeDomain(d)}`);
    want[k] = v;
  }
  return pool.find((i) => Object.keys(spec).every((k) => sameParam(i.params[k], want[k])));
}

/**
 * Every assignment of the parameters, the first parameter varying slowest.
 * Scalars come first; then the functions, one index at a time (every
 * function's value at the first index varies slowest), so an initial state
 * `∀ f ∈ Files: xflagDax[f] ∈ BOOLEAN ∧ size[f] ∈ Sizes` is enumerated file
 * by file.
 */
function expand(spec: InitParamSpec): Readonly<Record<string, ParamValue>>[] {
  const entries = Object.entries(spec);
  const positions: { key: string; at: number; d: ScalarDomain }[] = [];
  for (const [key, d] of entries) if (isScalar(d)) positions.push({ key, at: -1, d });
  const longest = Math.max(0, ...entries.map(([, d]) => (isScalar(d) ? 0 : d.index.size)));
  for (let at = 0; at < longest; at++) {
    for (const [key, d] of entries) if (!isScalar(d) && at < d.index.size) positions.push({ key, at, d: d.element });
  }
  let out: number[][] = [[]];
  for (const { d } of positions) {
    const [lo, hi] = scalarBounds(d);
    const next: number[][] = [];
    for (const partial of out) for (let v = lo; v <= hi; v++) next.push([...partial, v]);
    out = next;
  }
  return out.map((values) => {
    const params: Record<string, ParamValue> = {};
    for (const [key, d] of entries) if (!isScalar(d)) params[key] = new Array<number>(d.index.size).fill(0);
    positions.forEach(({ key, at }, i) => {
      if (at < 0) params[key] = values[i]!;
      else (params[key] as number[])[at] = values[i]!;
    });
    for (const [key, d] of entries) if (!isScalar(d)) Object.freeze(params[key]);
    // Declaration order, as a user reads them.
    const ordered: Record<string, ParamValue> = {};
    for (const [key] of entries) ordered[key] = params[key]!;
    return Object.freeze(ordered);
  });
}
