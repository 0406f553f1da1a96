// The spec API: how a model is written.
//
// A model is a function of its constants that returns its *parts*: the state
// schema, the initial state, the actions (each a guard and an effect over
// parameters drawn from finite sets), the properties, and an optional state
// constraint. Designs are named variations of those parts. The engine never
// sees anything but these parts.

import { produce, type Draft } from 'immer';
import type { Domain, EnumDomain, IndexSet, IntDomain, RecordDomain, ScalarDomain } from './domain.js';
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
  /** The enabling condition, read on the current state. Omitted means always enabled. */
  readonly guard?: (s: View<S>, a: Params<P>) => boolean;
  /** The guard in the kernel's words (e.g. "-EBUSY while any process maps the file"); `replay` prints it when the guard refuses a step. */
  readonly guardDoc?: string;
  /**
   * The fast form: mutate the successor in place (it starts as a copy of the
   * current state). Returning `false` means the action is not enabled after all.
   */
  readonly effect?: (s: View<S>, a: Params<P>) => void | boolean;
  /** The readable form: an immer recipe over the plain state. Slower; use one or the other. */
  readonly update?: (draft: Draft<Plain<S>>, a: Params<P>) => void | boolean;
  /** How a step prints, in the kernel's words, e.g. `SetFlag(FS_XFLAG_DAX=1) p1 f2`. */
  readonly label?: (a: Params<P>) => string;
  /** Where the behaviour comes from: a kernel path and version, a seed thread, a doc. */
  readonly source?: string;
}

/** Helper that keeps parameter types precise at the definition site. */
export function action<S extends RecordDomain, P extends ParamSpec>(_schema: S, def: ActionDef<S, P>): ActionDef<S, P> {
  return def;
}

// ---- properties -----------------------------------------------------------

export interface StepInfo {
  readonly action: string;
  readonly params: Readonly<Record<string, number>>;
}

interface PropertyCommon {
  readonly doc?: string;
  /** Who asked for the property and where (a thread, a commit, a doc). */
  readonly source?: string;
  /** Reachability goals that must be reached for a pass to mean anything. */
  readonly nonVacuousIf?: readonly string[];
}
export interface Invariant<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'invariant';
  readonly holds: (s: View<S>) => boolean;
}
export interface ActionProperty<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'action';
  readonly holds: (before: View<S>, step: StepInfo, after: View<S>) => boolean;
}
export interface ReachabilityGoal<S extends RecordDomain = RecordDomain> extends PropertyCommon {
  readonly kind: 'reachable';
  readonly reached: (s: View<S>) => boolean;
}
export type Property<S extends RecordDomain = RecordDomain> = Invariant<S> | ActionProperty<S> | ReachabilityGoal<S>;

// ---- a model --------------------------------------------------------------

export interface InitDef<S extends RecordDomain = RecordDomain, P extends ParamSpec = ParamSpec> {
  readonly params: P;
  /** Writes one initial state into a blank vector (every slot at its smallest value). */
  readonly effect: (s: View<S>, a: Params<P>) => void | boolean;
}

export interface ModelParts<S extends RecordDomain = RecordDomain> {
  readonly schema: S;
  readonly init: InitDef<S, any>;
  readonly actions: Readonly<Record<string, ActionDef<S, any>>>;
  readonly properties: Readonly<Record<string, Property<S>>>;
  /** States outside the constraint are kept but not explored (as TLC's CONSTRAINT). */
  readonly constraint?: (s: View<S>) => boolean;
  /** Whether a state with no enabled action is an error. Default true; the CLI can turn it off. */
  readonly checkDeadlock?: boolean;
}

export interface Design<C extends Record<string, ConstantDecl>, S extends RecordDomain> {
  readonly summary: string;
  readonly source?: string;
  /** Changes the base parts; written as an immer recipe so a design states only what it changes. */
  readonly vary?: (parts: Draft<MutableParts<S>>, c: ConstantValues<C>) => void;
}

/** The parts as a design edits them: records of actions and properties it may replace, add or delete. */
export interface MutableParts<S extends RecordDomain> {
  schema: S;
  init: InitDef<S, any>;
  actions: Record<string, ActionDef<S, any>>;
  properties: Record<string, Property<S>>;
  constraint?: (s: View<S>) => boolean;
  checkDeadlock?: boolean;
}

export interface ModelDef<C extends Record<string, ConstantDecl> = Record<string, ConstantDecl>, S extends RecordDomain = RecordDomain> {
  readonly name: string;
  readonly summary: string;
  readonly constants: C;
  readonly build: (c: ConstantValues<C>) => ModelParts<S>;
  readonly designs: Readonly<Record<string, Design<C, S>>>;
  readonly defaultDesign: string;
  /** Kernel words, trace-page lanes and the C reproducer's parts (checker/presentation.ts); optional. */
  readonly presentation?: Presentation<Plain<S>>;
}

export function defineModel<C extends Record<string, ConstantDecl>, S extends RecordDomain>(def: ModelDef<C, S>): ModelDef<C, S> {
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
export function partsFor<C extends Record<string, ConstantDecl>, S extends RecordDomain>(
  model: ModelDef<C, S>, design: string, c: ConstantValues<C>,
): ModelParts<S> {
  const d = model.designs[design];
  if (!d) throw new Error(`model ${model.name} has no design ${design}`);
  const base = model.build(c) as MutableParts<S>;
  if (!d.vary) return base;
  const vary = d.vary;
  return produce(base, (draft) => { vary(draft as Draft<MutableParts<S>>, c); });
}

export type { Domain, IndexSet, EnumDomain, IntDomain };
