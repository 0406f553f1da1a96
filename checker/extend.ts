// A design written outside the project: one of a model's own designs (or a
// built-in design by name) and, on top of it, state variables, actions and
// properties of its own. `withDesigns` returns a new model definition that
// holds the built-in designs and these; nothing of the built-in model is
// changed, so loading a user's design cannot alter any other run.
//
// A user's guard, effect and property see the state through a view that
// refuses a variable the schema does not declare, so "used but not declared"
// is reported with the variable's and the action's names instead of as a
// TypeError from deep inside the search.

import { type Domain, type RecordDomain, record } from './domain.js';
import { UsageError } from './errors.js';
import type { View } from './layout.js';
import type { ActionDef, DesignInfo, ParamSpec, Params, StepInfo, ModelDef, ModelParts, Property } from './model.js';
import type { ManualStep, Presentation, ProgramStep, StepWords } from './presentation.js';

/** What a user's design adds to the parts of the design it starts from. */
export interface DesignExtension {
  /** New state variables (names the base schema does not have). */
  readonly variables?: Readonly<Record<string, Domain>>;
  /** Sets the new variables in every initial state; omitted, they start at their smallest value. */
  readonly initially?: (s: View<any>) => void;
  /** New actions, tried after the base's (names the base does not have). */
  readonly actions?: Readonly<Record<string, ActionDef<any, any>>>;
  /** Base actions changed, by name: each gets the base's definition and returns the design's. */
  readonly change?: Readonly<Record<string, (base: ActionDef<any, any>) => ActionDef<any, any>>>;
  /** New properties (invariants, action properties, goals); names the base does not have. */
  readonly properties?: Readonly<Record<string, Property<any>>>;
}

export interface UserDesign<D extends DesignInfo = DesignInfo> {
  readonly kind: 'daxcheck-design';
  /** The model this is a design of (`dax`, `passthrough`). */
  readonly model: string;
  /** The design's name, as --design and the matrix's columns print it. */
  readonly name: string;
  readonly summary: string;
  readonly source?: string;
  /** The design it starts from: a built-in design's name, or one of the model's own design values (e.g. a dax `{flavour, changes}`). */
  readonly base: string | D;
  /** What it adds, built per set of constants (the constants are the model's, by name). */
  readonly extend?: (c: Readonly<Record<string, number | string>>, base: ModelParts) => DesignExtension;
  /** Kernel words of its new actions, as a model's presentation gives them. */
  readonly words?: Readonly<Record<string, StepWords>>;
  /** What a C reproducer does for its new actions (the model's presentation.c.steps), when the model has a reproducer. */
  readonly reproducer?: Readonly<Record<string, ProgramStep | ManualStep>>;
  /** Where it was loaded from, for its errors (set by the loader). */
  readonly file?: string;
}

/** How a design file declares a design; `export default defineDesign({...})`. */
export function defineDesign<D extends DesignInfo = DesignInfo>(d: Omit<UserDesign<D>, 'kind'>): UserDesign<D> {
  return { kind: 'daxcheck-design', ...d };
}

/** An action over the state as a design sees it (`V`: its base's view and its own variables). */
export type DesignAction<V, P extends ParamSpec> = Omit<ActionDef<any, P>, 'guard' | 'effect' | 'label'> & {
  readonly guard?: (s: V, a: Params<P>) => boolean;
  readonly effect: (s: V, a: Params<P>) => void | boolean;
  readonly label?: (a: Params<P>, before: V, after: V) => string;
};

/**
 * How a design that adds state variables writes its actions: `const act =
 * actionsOver<DaxState & { fsynced: Int32Array }>()` once, then `act({ params,
 * guard, effect, label })`: the state and the parameter names typed at the
 * definition site, as actionsOf does for a model's own schema. (Whether the
 * variables it names are declared is checked when it runs: guardedViews.)
 */
export function actionsOver<V>() {
  return <P extends ParamSpec>(def: DesignAction<V, P>): ActionDef<any, P> => def as ActionDef<any, P>;
}

function isUserDesign(x: unknown): x is UserDesign {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'daxcheck-design';
}

interface Wrapped<D extends DesignInfo> extends DesignInfo { readonly user: UserDesign<D> }

const where = (u: UserDesign) => `${u.file ? `${u.file}: ` : ''}design ${u.name}`;

/** The model with `designs` beside its own, in that order; the built-in model is left as it is. */
export function withDesigns<D extends DesignInfo>(model: ModelDef<any, any, D>, designs: readonly UserDesign<any>[]): ModelDef<any, any, any> {
  if (designs.length === 0) return model;
  const added: Record<string, Wrapped<D>> = {};
  for (const u of designs) {
    if (u.model !== model.name) throw new UsageError(`${where(u)} is a design of model ${u.model}, not of ${model.name}`);
    if (u.name in model.designs || u.name in added) {
      throw new UsageError(`${where(u)}: the name is taken; model ${model.name} already has a design '${u.name}'`);
    }
    if (typeof u.base === 'string' && !(u.base in model.designs)) {
      throw new UsageError(`${where(u)} starts from design '${u.base}', which model ${model.name} does not have; its designs are: ${Object.keys(model.designs).join(', ')}`);
    }
    added[u.name] = { summary: u.summary, ...(u.source ? { source: u.source } : {}), user: u };
  }
  const baseBuild = model.build.bind(model);
  const words = Object.assign({}, model.presentation?.words, ...designs.map((u) => u.words ?? {}));
  const c = model.presentation?.c;
  const presentation: Presentation = {
    ...model.presentation,
    words,
    ...(c ? { c: { ...c, steps: Object.assign({}, c.steps, ...designs.map((u) => u.reproducer ?? {})) } } : {}),
  };
  return {
    ...model,
    designs: { ...model.designs, ...added },
    build(c, d) {
      const user = (d as Partial<Wrapped<D>>).user;
      if (!user) return baseBuild(c, d);
      const start = typeof user.base === 'string' ? model.designs[user.base]! : user.base as D;
      const parts = baseBuild(c, start);
      return user.extend ? extendParts(user, parts, user.extend(c as Readonly<Record<string, number | string>>, parts)) : parts;
    },
    presentation,
  };
}

function extendParts(u: UserDesign, base: ModelParts, x: DesignExtension): ModelParts {
  const taken = (kind: string, names: readonly string[], have: Record<string, unknown>) => {
    for (const n of names) if (n in have) throw new UsageError(`${where(u)} adds ${kind} '${n}', which the base already has; give it a new name`);
  };
  const missing = (kind: string, n: string, have: Record<string, unknown>) =>
    new UsageError(`${where(u)} ${kind} '${n}', which model ${u.model} does not have; its ${kind.endsWith('action') ? 'actions' : 'properties'} are: ${Object.keys(have).join(', ')}`);

  taken('state variable', Object.keys(x.variables ?? {}), base.schema.fields);
  const schema: RecordDomain = x.variables ? record({ ...base.schema.fields, ...x.variables }) : base.schema;
  const declared = new Set(Object.keys(schema.fields));
  const guard = (what: string) => guardedViews(declared, `${where(u)}: ${what}`);

  taken('action', Object.keys(x.actions ?? {}), base.actions);
  const actions: Record<string, ActionDef<any, any>> = {};
  for (const [n, a] of Object.entries(base.actions)) {
    const change = x.change?.[n];
    actions[n] = change ? guardAction(change(a), guard(`action ${n}`)) : a;
  }
  for (const n of Object.keys(x.change ?? {})) if (!(n in base.actions)) throw missing('changes action', n, base.actions);
  for (const [n, a] of Object.entries(x.actions ?? {})) actions[n] = guardAction(a, guard(`action ${n}`));

  taken('property', Object.keys(x.properties ?? {}), base.properties);
  const properties: Record<string, Property<any>> = { ...base.properties };
  for (const [n, p] of Object.entries(x.properties ?? {})) {
    for (const a of p.kind === 'action' ? p.actions ?? [] : []) if (!(a in actions)) throw missing(`property ${n} constrains action`, a, actions);
    for (const f of p.kind === 'liveness' ? p.fairness ?? [] : []) if (!(f.action in actions)) throw missing(`property ${n} assumes fairness of action`, f.action, actions);
    for (const g of p.nonVacuousIf ?? []) if (!(g in properties) && !(g in (x.properties ?? {}))) throw missing(`property ${n} names goal`, g, properties);
    properties[n] = guardProperty(p, guard(`property ${n}`));
  }

  const initially = x.initially && guard('initially');
  const init = initially
    ? { params: base.init.params, effect: (s: any, a: any) => { base.init.effect(s, a); (x.initially as (v: unknown) => void)(initially(s as object)); } }
    : base.init;
  return { ...base, schema, init, actions, properties };
}

type Guard = <T>(view: T) => T;

/** Views that throw on a variable the schema does not declare, one proxy per view (the core reuses its views). */
function guardedViews(declared: ReadonlySet<string>, what: string): Guard {
  const cache = new WeakMap<object, object>();
  const refuse = (k: string, verb: string) => new UsageError(
    `${what} ${verb} state variable '${k}', which is not declared; declare it in the design's variables (declared: ${[...declared].join(', ')})`);
  const handler: ProxyHandler<any> = {
    get(t, k) {
      if (typeof k === 'string' && !(k in t)) throw refuse(k, 'reads');
      return Reflect.get(t, k, t);
    },
    set(t, k, v) {
      if (typeof k === 'string' && !(k in t)) throw refuse(k, 'writes');
      return Reflect.set(t, k, v, t);
    },
  };
  return <T>(view: T): T => {
    if (typeof view !== 'object' || view === null) return view;
    let p = cache.get(view as object);
    if (p === undefined) { p = new Proxy(view as object, handler) as object; cache.set(view as object, p); }
    return p as T;
  };
}

function guardAction(a: ActionDef<any, any>, g: Guard): ActionDef<any, any> {
  return {
    ...a,
    ...(a.guard ? { guard: (s: any, p: any) => a.guard!(g(s), p) } : {}),
    effect: (s: any, p: any) => a.effect(g(s), p),
    // Keep the label's arity: a label that reads the states declares before and after.
    ...(a.label ? { label: a.label.length < 2 ? a.label : (p: any, before: any, after: any) => a.label!(p, g(before), g(after)) } : {}),
  };
}

function guardProperty(p: Property<any>, g: Guard): Property<any> {
  switch (p.kind) {
    case 'invariant': return { ...p, holds: (s: View<any>) => p.holds(g(s)) };
    case 'reachable': return { ...p, reached: (s: View<any>) => p.reached(g(s)) };
    case 'action': return { ...p, holds: (b: View<any>, st: StepInfo, a: View<any>) => p.holds(g(b), st, g(a)) };
    case 'liveness': {
      const f = p.formula;
      const gp = (q: (s: View<any>, i: number) => boolean) => (s: View<any>, i: number) => q(g(s), i);
      return { ...p, formula: f.op === 'leadsTo' ? { op: f.op, p: gp(f.p), q: gp(f.q) } : { op: f.op, p: gp(f.p) } };
    }
  }
}

/** The designs a loaded design file exports (default or named), each told where it came from. */
export function designsExportedBy(mod: Readonly<Record<string, unknown>>, file: string): UserDesign[] {
  const found = new Set(Object.values(mod).filter(isUserDesign));
  return [...found].map((d) => ({ ...d, file }));
}
