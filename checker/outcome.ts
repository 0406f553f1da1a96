// What a search found, by state id, and the CheckResult made of it: written
// once for every engine (breadth-first on 1..N workers, depth-first).

import type { CompiledModel } from './compile.js';
import type { SelectedProperties, TransitionCore } from './core.js';
import { collisionProbability } from './fingerprint.js';
import type { ActionCoverage, CheckResult, CutShortBy, Finding, PropertyResult } from './result.js';
import type { Symmetry } from './symmetry.js';
import { type Canonical, type Links, reconstruct } from './trace.js';


/** The first violation of each property, the first state reaching each goal, the first deadlock: state ids, -1 for none. */
export class Findings {
  readonly invFailedAt: Int32Array;
  readonly apFailedAt: Int32Array;
  /** For an action property: the instance taken from apFailedAt. */
  readonly apFailedBy: Int32Array;
  readonly goalAt: Int32Array;
  deadlockAt = -1;
  /** Set at the first violation unless the run goes on after violations (--continue). */
  stop = false;

  constructor(selected: SelectedProperties, private readonly continueAll: boolean) {
    this.invFailedAt = new Int32Array(selected.invariants.length).fill(-1);
    this.apFailedAt = new Int32Array(selected.actionProperties.length).fill(-1);
    this.apFailedBy = new Int32Array(selected.actionProperties.length).fill(-1);
    this.goalAt = new Int32Array(selected.goals.length).fill(-1);
  }

  invariantFails(k: number, id: number): void {
    if (this.invFailedAt[k] !== -1) return;
    this.invFailedAt[k] = id;
    this.violated();
  }

  actionPropertyFails(k: number, id: number, inst: number): void {
    if (this.apFailedAt[k] !== -1) return;
    this.apFailedAt[k] = id;
    this.apFailedBy[k] = inst;
    this.violated();
  }

  goalReached(k: number, id: number): void {
    if (this.goalAt[k] === -1) this.goalAt[k] = id;
  }

  deadlock(id: number): void {
    if (this.deadlockAt !== -1) return;
    this.deadlockAt = id;
    this.violated();
  }

  private violated(): void {
    if (!this.continueAll) this.stop = true;
  }
}

/**
 * Stores the initial states through `add` (which returns a new state's id,
 * or -1 for one stored already) and records what each new one violates or
 * reaches; returns how many were generated and how many stored.
 */
export function storeInitialStates(core: TransitionCore, add: (words: Uint32Array, init: number) => number, found: Findings): { generated: number; stored: number } {
  const packed = new Uint32Array(core.W);
  let generated = 0;
  let stored = 0;
  core.cm.inits.forEach((init, k) => {
    if (!core.initial(init)) return;
    core.packNext(packed, 0);
    generated++;
    const id = add(packed, k);
    if (id < 0) return;
    stored++;
    core.checkNext();
    for (let h = 0; h < core.invHitCount; h++) { const j = core.invHits[h]!; core.invOpen[j] = 0; found.invariantFails(j, id); }
    for (let h = 0; h < core.goalHitCount; h++) { const j = core.goalHits[h]!; core.goalOpen[j] = 0; found.goalReached(j, id); }
  });
  if (stored === 0) throw new Error(`model ${core.cm.model}: no initial state (every Init instance refused)`);
  return { generated, stored };
}

/** What an engine found, by state id, for assembleResult. */
export interface RawOutcome {
  readonly strategy: 'bfs' | 'dfs';
  readonly complete: boolean;
  readonly incompleteReason: string | undefined;
  readonly cutShortBy: CutShortBy | undefined;
  /** Parent links and actions by state id, to rebuild traces from. */
  readonly links: Links;
  readonly findings: Findings;
  readonly distinct: number;
  readonly generated: number;
  readonly queueLeft: number;
  readonly depth: number;
  readonly seconds: number;
  readonly storeBytes: number;
  readonly peakRss: number;
  readonly actionOf: ArrayLike<number>;
  readonly generatedBy: ArrayLike<number>;
  readonly distinctBy: ArrayLike<number>;
  readonly enabledStates: ArrayLike<number>;
  /** The symmetry the run stored canonical states under (core.symmetry), if any. */
  readonly symmetry?: Symmetry | undefined;
  /** With symmetry: the states the stored orbits stand for (the sum of their sizes). */
  readonly representedStates?: number;
  /** With partial-order reduction: the component set and how many states were expanded with an ample set. */
  readonly partialOrder?: { readonly components: string; readonly reducedStates: number };
  readonly livenessSkipped?: string;
  /** The liveness properties' results (liveness/check.ts), decided after the search. */
  readonly liveness?: readonly PropertyResult[];
}

/** The CheckResult of a run, shared by the sequential and the parallel engine. */
export function assembleResult(cm: CompiledModel, selected: SelectedProperties, o: RawOutcome): CheckResult {
  const { invariants, actionProperties: actionProps, goals } = selected;
  const { complete, actionOf, generatedBy, distinctBy, enabledStates } = o;
  const { invFailedAt, apFailedAt, apFailedBy, goalAt, deadlockAt } = o.findings;
  const nInst = cm.instances.length;
  const sym = o.symmetry;
  const traceTo = (id: number, extra?: number, lastStep?: Canonical['lastStep']) =>
    reconstruct(cm, o.links, id, extra, sym ? { symmetry: sym, ...(lastStep ? { lastStep } : {}) } : undefined);
  // Under symmetry an action property's last step is matched so that the property fails on it, as it did on the canonical step.
  const failsOn = (k: number): Canonical['lastStep'] => (core, inst) => !actionProps[k]!.def.holds(core.curView, inst.step, core.nextView);
  const results: PropertyResult[] = [];
  const goalReached = new Map(goals.map((g, k) => [g.name, goalAt[k]! >= 0]));
  const unreachedGoals = (names: readonly string[] | undefined) => (names ?? []).filter((g) => goalReached.get(g) === false);
  const safety = (name: string, kind: 'invariant' | 'action', doc: string | undefined, nonVac: readonly string[] | undefined, failedAt: number, by?: number, k?: number): PropertyResult => {
    if (failedAt >= 0) return { name, kind, status: 'violated', holds: false, doc, trace: traceTo(failedAt, by, k !== undefined ? failsOn(k) : undefined) };
    if (!complete) return { name, kind, status: 'bounded', holds: null, doc };
    const missing = unreachedGoals(nonVac);
    if (missing.length) return { name, kind, status: 'vacuous', holds: true, doc, vacuousBecause: missing };
    return { name, kind, status: 'holds', holds: true, doc };
  };
  invariants.forEach((p, k) => results.push(safety(p.name, 'invariant', p.def.doc, p.def.nonVacuousIf, invFailedAt[k]!)));
  actionProps.forEach((p, k) => results.push(safety(p.name, 'action', p.def.doc, p.def.nonVacuousIf, apFailedAt[k]!, apFailedBy[k]!, k)));
  // Temporal properties next, before the goals, as the tables list them.
  results.push(...(o.liveness ?? []));
  goals.forEach((p, k) => {
    const at = goalAt[k]!;
    if (at >= 0) results.push({ name: p.name, kind: 'reachable', status: 'reached', holds: true, doc: p.def.doc, trace: traceTo(at) });
    else results.push({ name: p.name, kind: 'reachable', status: complete ? 'vacuous' : 'bounded', holds: complete ? false : null, doc: p.def.doc });
  });

  const coverage: ActionCoverage[] = cm.actionNames.map((name, a) => {
    let gen = 0, dist = 0;
    for (let i = 0; i < nInst; i++) if (actionOf[i] === a) { gen += generatedBy[i]!; dist += distinctBy[i]!; }
    return { action: name, enabledInStates: enabledStates[a]!, generated: gen, distinct: dist };
  });

  const deadlock: Finding | undefined = deadlockAt >= 0 ? { trace: traceTo(deadlockAt) } : undefined;
  const { distinct, generated, seconds } = o;
  return {
    model: cm.model,
    design: cm.design,
    constants: cm.constants,
    strategy: o.strategy,
    complete,
    incompleteReason: o.incompleteReason,
    ...(o.cutShortBy !== undefined ? { cutShortBy: o.cutShortBy } : {}),
    distinctStates: distinct,
    statesGenerated: generated,
    queueLeft: o.queueLeft,
    depth: o.depth,
    seconds,
    statesPerSecond: seconds > 0 ? distinct / seconds : distinct,
    collisionProbability: collisionProbability(distinct, generated),
    storeBytes: o.storeBytes,
    peakRssBytes: o.peakRss,
    properties: results,
    ...(o.livenessSkipped ? { livenessSkipped: o.livenessSkipped } : {}),
    deadlock,
    coverage,
    ...(o.partialOrder ? { partialOrder: o.partialOrder } : {}),
    ...(sym ? { symmetry: { sets: sym.sets.map((s) => s.prefix), ...(complete && o.representedStates !== undefined ? { representedStates: o.representedStates } : {}) } } : {}),
  };
}
