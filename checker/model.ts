// The spec API: how a model is written.
//
// A model is a function of its constants and of one design that returns its
// *parts*: the state schema, the initial states, the actions (each a guard
// and an effect over parameters drawn from finite sets), the properties, and
// an optional state constraint. What a design is (which choices it makes) is
// the model's own type, so a design states only what it chooses and the model
// builds its parts from it once. The engine never sees anything but the parts.

import type { ArrayDomain, Domain, EnumDomain, IndexSet, IntDomain, RecordDomain, ScalarDomain } from './domain.js';
import type { Plain, View } from './layout.js';
import type { Presentation } from './presentation.js';

// ---- constants ------------------------------------------------------------

export interface IntConstant { readonly kind: 'int'; readonly lo: number; readonly hi: number; readonly default: number; readonly doc: string }
export interface EnumConstant { readonly kind: 'enum'; readonly values: readonly string[]; readonly default: string; readonly doc: string }
export type ConstantDecl = IntConstant | EnumConstant;

export function intConstant(lo: number, hi: number, dflt: number, doc: string): IntConstant {
  return { kind: 'int', lo, hi, default: dflt, doc };
}
export function enumConstant<const V extends string>(values: readonly V[], dflt: V, doc: string): EnumConstant & { readonly default: V; readonly values: readonly V[] } {
  return { kind: 'enum', values, default: dflt, doc };
}

type ConstantValue<C extends ConstantDecl> = C extends { values: readonly (infer V)[] } ? V : number;
export type ConstantValues<C extends Record<string, ConstantDecl>> = { readonly [K in keyof C]: ConstantValue<C[K]> };

// ---- actions --------------------------------------------------------------

/** Parameters range over finite scalar domains: index sets, booleans, enums, small ints. */
export type ParamSpec = Record<string, ScalarDomain>;
export type Params<P extends ParamSpec> = { readonly [K in keyof P]: number };

export interface ActionDef<S extends RecordDomain = RecordDomain, P extends ParamSpec = ParamSpec> {
  readonly params: P;
  /**
   * The parameter that names the acting process (a step's StepInfo.process),
   * for properties that treat the caller apart from everyone else. Omitted:
   * no process acts (a kernel event, a lookup by path).
   */
  readonly actor?: keyof P & string;
  /** The enabling condition, read on the current state. Omitted means always enabled. */
  readonly guard?: (s: View<S>, a: Params<P>) => boolean;
  /** The guard in the kernel's words (e.g. "-EBUSY while any process maps the file"); `replay` prints it when the guard refuses a step. */
  readonly guardDoc?: string;
  /**
   * Mutates the successor in place (it starts as a copy of the current state).
   * Returning `false` means the action is not enabled after all; prefer a
   * guard, and say in a comment why an effect refuses.
   */
  readonly effect: (s: View<S>, a: Params<P>) => void | boolean;
  /**
   * How a step prints, in the kernel's words, e.g. `SetFlag(FS_XFLAG_DAX=1) p1 f2`.
   * A label that declares `before` and `after` reads the step's states, so an
   * outcome (an eviction, what statx reports) is shown, not passed as a
   * parameter; asked for with no states, such an action prints as `Name(params)`.
   */
  readonly label?: (a: Params<P>, before: View<S>, after: View<S>) => string;
  /** Where the behaviour comes from: a kernel path and version, a seed thread, a doc. */
  readonly source?: string;
  /**
   * For partial-order reduction (--por): the elements of the model's
   * `components` index set whose part of the state this action reads or
   * writes, guard and effect together, as a function of its parameters
   * (`({ f }) => [f]`). Omitted: it may touch every component; so does a
   * step that writes a variable indexed by no component. Two steps that
   * touch disjoint components are independent: taken in either order they
   * reach the same state, and neither enables or disables the other.
   */
  readonly touches?: (a: Params<P>) => readonly number[];
}

/**
 * The one way to write an action: `const action = actionsOf<Schema>()` once per
 * model, then `action({ params, guard, effect, label })`, which keeps the
 * parameter names and the state's view precise at the definition site.
 */
export function actionsOf<S extends RecordDomain>() {
  return <P extends ParamSpec>(def: ActionDef<S, P>): ActionDef<S, P> => def;
}

// ---- properties -----------------------------------------------------------

export interface StepInfo {
  readonly action: string;
  readonly params: Readonly<Record<string, number>>;
  /** The acting process (the action's declared `actor` parameter), if one acts. */
  readonly process?: number;
}

interface PropertyCommon {
  readonly doc?: string;
  /** Who asked for the property and where (a thread, a commit, a doc). */
  readonly source?: string;
  /** Reachability goals that must be reached for a pass to mean anything. */
  readonly nonVacuousIf?: readonly string[];
  /**
   * What a verdict on the property means (default `harm`): `harm`, a violation
   * is damage (lost data, a wrong mapping, a lie to the user); `rule`, a
   * violation only says the design does not follow a rule someone proposed (a
   * classification of the design, not a bug); `trade-off`, a goal that says
   * what the design gives (reached) or gives up (never reached).
   */
  readonly section?: PropertySection;
  /** The property is a strict reading of its source: which reading, and why the kernel may mean otherwise. */
  readonly strictReading?: string;
}
export type PropertySection = 'harm' | 'rule' | 'trade-off';
export interface Invariant<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'invariant';
  readonly holds: (s: View<S>) => boolean;
}
export interface ActionProperty<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'action';
  /**
   * The actions whose steps the property constrains, by name; compile rejects
   * a name the model does not have. Omitted: every step.
   */
  readonly actions?: readonly string[];
  readonly holds: (before: View<S>, step: StepInfo, after: View<S>) => boolean;
}
export interface ReachabilityGoal<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'reachable';
  readonly reached: (s: View<S>) => boolean;
}
/** A state predicate of a temporal formula; under `forEach` it also takes the index (∀ f ∈ Files: P(f) ~> Q(f)). */
export type StatePredicate<S extends RecordDomain = RecordDomain> = (s: View<S>, i: number) => boolean;

/**
 * The temporal formulas a liveness property may be, over behaviours of the
 * state graph in TLA+'s sense: infinite, and a state may repeat forever
 * (stuttering), so only fairness makes anything happen.
 */
export type TemporalFormula<S extends RecordDomain = RecordDomain> =
  | { readonly op: 'eventually'; readonly p: StatePredicate<S> }
  | { readonly op: 'leadsTo'; readonly p: StatePredicate<S>; readonly q: StatePredicate<S> }
  | { readonly op: 'alwaysEventually'; readonly p: StatePredicate<S> }
  | { readonly op: 'eventuallyAlways'; readonly p: StatePredicate<S> };

/** ◇P */
export const eventually = <S extends RecordDomain>(p: StatePredicate<S>): TemporalFormula<S> => ({ op: 'eventually', p });
/** P ~> Q, that is □(P ⇒ ◇Q) */
export const leadsTo = <S extends RecordDomain>(p: StatePredicate<S>, q: StatePredicate<S>): TemporalFormula<S> => ({ op: 'leadsTo', p, q });
/** □◇P */
export const alwaysEventually = <S extends RecordDomain>(p: StatePredicate<S>): TemporalFormula<S> => ({ op: 'alwaysEventually', p });
/** ◇□P */
export const eventuallyAlways = <S extends RecordDomain>(p: StatePredicate<S>): TemporalFormula<S> => ({ op: 'eventuallyAlways', p });

/**
 * A fairness assumption, TLA+'s WF_vars(A) / SF_vars(A). `params` narrows it
 * to the instances with those parameter values (WF_vars(A(f1))); `perInstance`
 * makes it one assumption per instance (∀ p: WF_vars(A(p))) instead of one
 * for the action as a whole (WF_vars(∃ p: A(p))). As in TLA+, only steps that
 * change the state count: an action is enabled where it can change the
 * state, and taken where it does.
 */
export interface Fairness {
  readonly kind: 'weak' | 'strong';
  readonly action: string;
  readonly params?: Readonly<Record<string, number>>;
  readonly perInstance?: boolean;
}
export const weakFairness = (action: string, opts: Omit<Fairness, 'kind' | 'action'> = {}): Fairness => ({ kind: 'weak', action, ...opts });
export const strongFairness = (action: string, opts: Omit<Fairness, 'kind' | 'action'> = {}): Fairness => ({ kind: 'strong', action, ...opts });

export interface LivenessProperty<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'liveness';
  readonly formula: TemporalFormula<S>;
  /** One formula per index (its predicates get the index); violated when one of them is. */
  readonly forEach?: IndexSet;
  /** P's name, for a leadsTo that is vacuous because no state has P (e.g. 'StaleAndUnused'). */
  readonly trigger?: string;
  /** The fairness the property is checked under (default none), on top of the model's own (ModelParts.fairness). */
  readonly fairness?: readonly Fairness[];
}

export type Property<S extends RecordDomain = RecordDomain> = Invariant<S> | ActionProperty<S> | ReachabilityGoal<S> | LivenessProperty<S>;

// ---- initial states -------------------------------------------------------

/**
 * What an initial state ranges over: scalars, and whole functions over an
 * index set (`xflagDax ∈ [Files → BOOLEAN]` is `xflagDax: arrayOf(Files, bool)`).
 */
export type InitParamSpec = Record<string, ScalarDomain | ArrayDomain<ScalarDomain>>;
export type InitParams<P extends InitParamSpec> = {
  readonly [K in keyof P]: P[K] extends ArrayDomain ? readonly number[] : number;
};

export interface InitDef<S extends RecordDomain = RecordDomain, P extends InitParamSpec = InitParamSpec> {
  readonly params: P;
  /** Writes one initial state into a blank vector (every slot at its smallest value). */
  readonly effect: (s: View<S>, a: InitParams<P>) => void;
}

/** Keeps an initial state's parameter types precise where it is written. */
export function initOf<S extends RecordDomain>() {
  return <P extends InitParamSpec>(def: InitDef<S, P>): InitDef<S, P> => def;
}

// ---- a model --------------------------------------------------------------

export interface ModelParts<S extends RecordDomain = RecordDomain> {
  readonly schema: S;
  readonly init: InitDef<S, any>;
  readonly actions: Readonly<Record<string, ActionDef<S, any>>>;
  readonly properties: Readonly<Record<string, Property<S>>>;
  /** States outside the constraint are kept but not explored (as TLC's CONSTRAINT). */
  readonly constraint?: (s: View<S>) => boolean;
  /** Fairness every liveness property is checked under (TLA+'s WF/SF conjuncts of Spec); default none. */
  readonly fairness?: readonly Fairness[];
  /** Whether a state with no enabled action is an error. Default true; the CLI can turn it off. */
  readonly checkDeadlock?: boolean;
  /** Facts about how this design was checked that its verdicts depend on (e.g. `cut: locks`), shown beside them. */
  readonly notes?: Readonly<Record<string, string>>;
}

/** What every design says about itself; a model's designs add the choices it varies. */
export interface DesignInfo {
  readonly summary: string;
  readonly source?: string;
}

export interface ModelDef<
  C extends Record<string, ConstantDecl> = Record<string, ConstantDecl>,
  S extends RecordDomain = RecordDomain,
  D extends DesignInfo = DesignInfo,
> {
  readonly name: string;
  readonly summary: string;
  readonly constants: C;
  /**
   * One design's parts at one set of constants. A design may have state
   * variables and actions of its own: its parts are then built, fully typed,
   * over its own schema and returned as `ModelParts` (S = RecordDomain).
   * (A method, so a registry can hold models of any design type.)
   */
  build(c: ConstantValues<C>, design: D): ModelParts<S>;
  readonly designs: Readonly<Record<string, D>>;
  readonly defaultDesign: string;
  /** Kernel words, trace-page lanes and the C reproducer's parts (checker/presentation.ts); optional. */
  readonly presentation?: Presentation<Plain<S>>;
  /**
   * The index sets (by prefix, e.g. `['f', 'p']`) whose elements are
   * interchangeable in every design: renaming them maps every initial state,
   * step and property value to another of the same. `--symmetry` then keeps
   * one state per orbit (checker/symmetry.ts). The claim is the model's; a
   * set with an element treated apart (p1 never exits, a lowest-free-slot
   * rule the properties can see) must not be declared.
   */
  readonly symmetric?: readonly string[];
  /**
   * The index set (by prefix, e.g. `'f'`) that splits the state into
   * components for partial-order reduction: component f is every variable
   * indexed by f (`pflag[f]`, `vma[p][f]`), and the rest of the state is
   * shared by all. Declaring it also claims that every property is local to
   * the components: an invariant is a conjunction, a goal a disjunction, of
   * predicates over one component each, an action property reads only the
   * components its step touches. Actions say what they touch (ActionDef.touches).
   */
  readonly components?: string;
}

export function defineModel<C extends Record<string, ConstantDecl>, S extends RecordDomain, D extends DesignInfo>(def: ModelDef<C, S, D>): ModelDef<C, S, D> {
  if (!(def.defaultDesign in def.designs)) {
    throw new Error(`model ${def.name}: default design '${def.defaultDesign}' is not among ${Object.keys(def.designs).join(', ')}`);
  }
  for (const [k, c] of Object.entries(def.constants)) {
    const ok = c.kind === 'int' ? c.default >= c.lo && c.default <= c.hi : c.values.includes(c.default);
    if (!ok) throw new Error(`model ${def.name}: default of constant ${k} is outside its range`);
  }
  return def;
}

/** The parts of one design at one set of constants. */
export function partsFor<C extends Record<string, ConstantDecl>, S extends RecordDomain, D extends DesignInfo>(
  model: ModelDef<C, S, D>, design: string, c: ConstantValues<C>,
): ModelParts<S> {
  const d = model.designs[design];
  if (!d) throw new Error(`model ${model.name} has no design ${design}`);
  return model.build(c, d);
}

export type { Domain, IndexSet, EnumDomain, IntDomain };
