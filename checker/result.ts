// What a run produces, as plain data: the CLI prints it, `--json` emits it,
// the verdict table and the trace tools read it.

import type { ShownParam } from './compile.js';

export interface TraceStep {
  /** 0 for the initial state. */
  readonly index: number;
  readonly action: string;
  readonly params: Readonly<Record<string, ShownParam>>;
  /** The step in the model's words, e.g. `SetFlag(FS_XFLAG_DAX=1) p1 f1`. */
  readonly label: string;
  readonly state: unknown;
}

export interface Trace {
  readonly steps: readonly TraceStep[];
  /** For an action property: the step that broke it is the last one. */
  readonly violatingStep?: number;
  /** For a lasso (liveness) trace: the index the loop returns to. */
  readonly loopIndex?: number;
  /** The model's scalar variable names in slot order (`vma[p1][f2]`), for naming changes. */
  readonly variables?: readonly string[];
}

export interface Finding { readonly trace: Trace }

export type PropertyStatus = 'holds' | 'violated' | 'vacuous' | 'bounded' | 'reached';

export interface PropertyResult {
  readonly name: string;
  readonly kind: 'invariant' | 'action' | 'reachable' | 'liveness';
  readonly status: PropertyStatus;
  /** true / false, or null when the run was cut short and nothing is known. */
  readonly holds: boolean | null;
  readonly doc?: string;
  /** A violation's counterexample, or a reachability goal's witness. */
  readonly trace?: Trace;
  /** The goals that were never reached, when a pass is vacuous. */
  readonly vacuousBecause?: readonly string[];
  /** For a leadsTo that passes vacuously: its trigger (the property's `trigger`, else 'P'), which no state has. */
  readonly triggerNeverReached?: string;
}

export interface ActionCoverage {
  readonly action: string;
  /** States in which at least one instance of the action was enabled. */
  readonly enabledInStates: number;
  /** Transitions it produced. */
  readonly generated: number;
  /** Distinct states it reached first. */
  readonly distinct: number;
}

export interface Progress {
  readonly seconds: number;
  readonly distinctStates: number;
  readonly statesGenerated: number;
  readonly queue: number;
  readonly depth: number;
  readonly rssBytes: number;
}

/** What cut a search short: a bound, a limit, an interruption, or the first violation (without --continue). */
export type CutShortBy = 'depth' | 'constraint' | 'time' | 'memory' | 'interrupted' | 'violation';

export interface CheckResult {
  readonly model: string;
  readonly design: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly strategy: 'bfs' | 'dfs';
  /** False when a bound, a time or memory limit, a constraint or an early stop cut the search. */
  readonly complete: boolean;
  readonly incompleteReason?: string;
  /** When the search is incomplete: what cut it short. */
  readonly cutShortBy?: CutShortBy;
  readonly distinctStates: number;
  readonly statesGenerated: number;
  readonly queueLeft: number;
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly collisionProbability: number;
  readonly storeBytes: number;
  readonly peakRssBytes: number;
  readonly properties: readonly PropertyResult[];
  /** Why the model's liveness properties were not checked in this run (they were not named, and an option rules the whole state graph out: avoided actions, symmetry, POR, a checkpoint). */
  readonly livenessSkipped?: string;
  readonly deadlock?: Finding;
  readonly coverage: readonly ActionCoverage[];
  /**
   * Present when the run used symmetry reduction: the declared sets it
   * renamed (by prefix), and for a complete run the states the stored orbits
   * stand for, which is the state count without the reduction.
   */
  readonly symmetry?: { readonly sets: readonly string[]; readonly representedStates?: number };
  /**
   * Present when the run used partial-order reduction: the component set, and
   * how many states were expanded with an ample set (one component's steps)
   * rather than every enabled step.
   */
  readonly partialOrder?: { readonly components: string; readonly reducedStates: number };
}

/** The exit codes of every command (README, --help): a script can tell a proof from a run cut short. */
export const ExitCode = {
  /** The search was complete and every property holds. */
  holds: 0,
  /** A violation or a deadlock (replay: the trace diverges or no longer fails). */
  violation: 1,
  /** Bad input: an unknown name, a value out of range, an unusable path or file. */
  badInput: 2,
  /** A bug in daxcheck. */
  internal: 3,
  /** Cut short (time, depth, constraint, memory, interrupted) with no violation found: not a proof. */
  cutShort: 4,
} as const;

export type Outcome = 'holds' | 'violated' | 'cut-short';

/** holds only for a complete search with no violation; a violation wins over a cut. */
export function outcomeOf(r: CheckResult): Outcome {
  const bad = r.deadlock !== undefined || r.properties.some((p) => p.status === 'violated');
  return bad ? 'violated' : r.complete ? 'holds' : 'cut-short';
}

/** 0 complete and everything holds, 1 a violation or deadlock, 4 cut short with none found. */
export function exitCodeOf(r: CheckResult): 0 | 1 | 4 {
  const o = outcomeOf(r);
  return o === 'violated' ? ExitCode.violation : o === 'holds' ? ExitCode.holds : ExitCode.cutShort;
}
