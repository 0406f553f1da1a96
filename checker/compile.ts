// Turns a model definition, a design and constant overrides into what the
// engine runs: a layout, the action instances (every action crossed with every
// value of its parameters), and the properties sorted by kind.

import { produce } from 'immer';
import { type ScalarDomain, scalarBounds, showScalar, parseScalar, describeDomain } from './domain.js';
import { Layout, type View } from './layout.js';
import {
  type ActionDef, type ActionProperty, type ConstantDecl, type Invariant, type ModelDef, type ParamSpec,
  type ReachabilityGoal, type StepInfo, partsFor,
} from './model.js';
import { UsageError } from './errors.js';

export interface ActionInstance {
  /** Index into CompiledModel.actionNames. */
  readonly action: number;
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  readonly guard: ((s: any, a: any) => boolean) | undefined;
  readonly effect: (s: any, a: any) => void | boolean;
  readonly step: StepInfo;
}

export interface Named<T> { readonly name: string; readonly def: T }

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
  readonly actionProperties: readonly Named<ActionProperty>[];
  readonly goals: readonly Named<ReachabilityGoal>[];
  readonly constraint: ((s: View<any>) => boolean) | undefined;
  readonly checkDeadlock: boolean;
  /** Prints one step in the model's words. */
  label(inst: ActionInstance): string;
  /** Parameters as a user reads them: `{p: 'p1', f: 'f2', v: true}`. */
  showParams(inst: ActionInstance): Record<string, string | number | boolean>;
  paramDomains(action: string): ParamSpec;
}

/** Resolves constant overrides given as strings (from the command line) against the declarations. */
export function resolveConstants(
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
    for (const params of expand(def.params)) instances.push(instantiate(ai, actionNames[ai]!, def, params, layout));
  });
  const initDef = { params: parts.init.params, effect: parts.init.effect } as ActionDef;
  const inits = expand(parts.init.params).map((params) => instantiate(-1, 'Init', initDef, params, layout));

  const props = Object.entries(parts.properties);
  const pick = <K extends 'invariant' | 'action' | 'reachable'>(kind: K) =>
    props.filter(([, p]) => p.kind === kind).map(([name, def]) => ({ name, def })) as any[];
  const goals = pick('reachable') as Named<ReachabilityGoal>[];
  for (const [name, p] of props) {
    for (const g of p.nonVacuousIf ?? []) {
      if (!goals.some((x) => x.name === g)) throw new Error(`property ${name} names goal '${g}', which the model does not define`);
    }
  }

  const paramText = (def: ActionDef, params: Record<string, number>) =>
    Object.entries(def.params as ParamSpec).map(([k, d]) => String(showScalar(d, params[k]!)));

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
    actionProperties: pick('action'),
    goals,
    constraint: parts.constraint,
    checkDeadlock: parts.checkDeadlock ?? true,
    label(inst) {
      const def = inst.action < 0 ? undefined : actionDefs[inst.action];
      if (def?.label) return def.label(inst.params);
      const args = def ? paramText(def, inst.params as Record<string, number>) : [];
      return args.length ? `${inst.name}(${args.join(', ')})` : inst.name;
    },
    showParams(inst) {
      const spec = (inst.action < 0 ? parts.init.params : actionDefs[inst.action]!.params) as ParamSpec;
      const out: Record<string, string | number | boolean> = {};
      for (const [k, d] of Object.entries(spec)) out[k] = showScalar(d, inst.params[k]!);
      return out;
    },
    paramDomains(name) {
      if (name === 'Init') return parts.init.params as ParamSpec;
      const def = parts.actions[name];
      if (!def) throw new UsageError(`no action '${name}'; actions are: ${actionNames.join(', ')}`);
      return def.params as ParamSpec;
    },
  };
}

/** Finds the instance of `action` with the given parameters (as numbers or as printed). */
export function findInstance(cm: CompiledModel, action: string, params: Record<string, unknown>): ActionInstance | undefined {
  const pool = action === 'Init' ? cm.inits : cm.instances.filter((i) => i.name === action);
  if (pool.length === 0) return undefined;
  const spec = cm.paramDomains(action);
  const want: Record<string, number> = {};
  for (const [k, d] of Object.entries(spec)) {
    const raw = params[k];
    const v = typeof raw === 'number' && d.kind !== 'bool' ? raw : parseScalar(d, raw);
    if (v === undefined) throw new UsageError(`${action}: parameter ${k}=${JSON.stringify(raw)} is not in ${describeDomain(d)}`);
    want[k] = v;
  }
  return pool.find((i) => Object.keys(spec).every((k) => i.params[k] === want[k]));
}

function expand(spec: ParamSpec): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const [k, d] of Object.entries(spec)) {
    const [lo, hi] = scalarBounds(d as ScalarDomain);
    const next: Record<string, number>[] = [];
    for (const partial of out) for (let v = lo; v <= hi; v++) next.push({ ...partial, [k]: v });
    out = next;
  }
  return out.map((p) => Object.freeze(p));
}

function instantiate(ai: number, name: string, def: ActionDef, params: Record<string, number>, layout: Layout): ActionInstance {
  if (def.effect && def.update) throw new Error(`action ${name}: give either effect or update, not both`);
  let effect = def.effect;
  if (!effect) {
    const update = def.update;
    if (!update) throw new Error(`action ${name}: needs an effect or an update`);
    // The immer form: decode, run the recipe, encode back into the successor vector.
    effect = (s: any, a) => {
      let enabled = true;
      const next = produce(layout.decode(s.$buf), (draft: any) => {
        if (update(draft, a) === false) enabled = false;
      });
      if (!enabled) return false;
      layout.encode(next, s.$buf);
      return true;
    };
  }
  return { action: ai, name, params, guard: def.guard, effect: effect!, step: Object.freeze({ action: name, params }) };
}
