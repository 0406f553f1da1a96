// What every search of one run shares: its options resolved, the properties
// selected, the transition core, and the clock (time limit, progress line,
// peak memory). Engines ask `tick` now and then whether to go on.

import { readFileSync } from 'node:fs';
import { constants, totalmem } from 'node:os';
import type { CompiledModel } from './compile.js';
import { TransitionCore, type SelectedProperties } from './core.js';
import { UsageError } from './errors.js';
import type { CutShortBy, Progress } from './result.js';
import { selectProperties } from './select.js';

export interface SearchOptions {
  readonly strategy?: 'bfs' | 'dfs';
  /** States at this depth are not expanded (the initial states are depth 0). */
  readonly maxDepth?: number;
  readonly maxSeconds?: number;
  /** Memory the search may take for its states, in bytes: the fingerprint store, its parent links and the queue together (default: defaultMemoryBudget()). */
  readonly maxStoreBytes?: number;
  /** A shared word (an Int32Array over a SharedArrayBuffer): once it is nonzero (a signal's number) the search stops as interrupted, at its next look at the clock. */
  readonly interrupt?: Int32Array;
  /** Keep going after a violation, to report every violated property. */
  readonly continueAfterViolation?: boolean;
  /** Overrides the model's own deadlock setting. */
  readonly checkDeadlock?: boolean;
  /** Only these properties (by name) are checked; goals named by them are kept. */
  readonly properties?: readonly string[];
  readonly progressEverySeconds?: number;
  readonly onProgress?: (p: Progress) => void;
  /** Told after each checkpoint is written: the depth the run resumes at, and the states stored. */
  readonly onCheckpoint?: (depth: number, distinctStates: number) => void;
  /** Breadth-first search expands each level on this many worker threads; 1 (the default) expands it in this thread. */
  readonly workers?: number;
  /** Actions the search never takes (see core.ts StepFilter); the result says they were avoided. */
  readonly avoidActions?: readonly string[];
  /** Keep one state per orbit of the model's declared symmetric index sets (core.ts Reductions); off unless asked. */
  readonly symmetry?: boolean;
  /** Partial-order reduction over the model's declared components (core.ts Reductions, por.ts); off unless asked. */
  readonly por?: boolean;
  /** Write a checkpoint at level boundaries (breadth-first, one thread). */
  readonly checkpoint?: CheckpointOptions;
  /** Continue the run saved in this checkpoint directory. */
  readonly resume?: string;
  /** Where worker threads load the model from: an ES module and the name of its export (a ModelDef, or a function returning one). */
  readonly modelSource?: ModelSource;
}

/** Where and how often a breadth-first run saves itself (checkpoint.ts). */
export interface CheckpointOptions {
  /** The directory the checkpoint is written to (made if missing). */
  readonly dir: string;
  /** At the first level boundary this long after the last checkpoint (default 300); 0: at every boundary. */
  readonly everySeconds?: number;
}

/** An ES module (a file path or URL) exporting a ModelDef, or a function returning one (called with `args`, which must be structured-cloneable). */
export interface ModelSource {
  readonly kind: 'module';
  readonly module: string;
  readonly export: string;
  readonly args?: readonly unknown[];
}

export const DEFAULT_STORE_BYTES = 8 * 2 ** 30;

/**
 * The default memory budget: half of the memory this process can have (the
 * machine's, or its cgroup's limit when that is smaller), at most
 * DEFAULT_STORE_BYTES. Half, because V8, the model and the trace rebuilding
 * need room beside the store, and the run must end with its statistics,
 * not be killed.
 */
export function defaultMemoryBudget(): number {
  let avail = totalmem();
  try {
    const limit = Number(readFileSync('/sys/fs/cgroup/memory.max', 'utf8').trim());
    if (Number.isFinite(limit) && limit > 0) avail = Math.min(avail, limit);
  } catch { /* no cgroup v2 limit */ }
  return Math.min(DEFAULT_STORE_BYTES, Math.floor(avail / 2));
}

/** Why a search stopped before it was done, and how to say so. */
export interface Halt { readonly by: CutShortBy; readonly reason: string }

export class SearchContext {
  readonly started = performance.now();
  readonly maxDepth: number;
  readonly checkDeadlock: boolean;
  readonly continueAll: boolean;
  readonly maxStoreBytes: number;
  readonly selected: SelectedProperties;
  readonly core: TransitionCore;
  /** Why the selected liveness properties are left out of this run (an engine that records no state graph). */
  readonly livenessSkipped: string | undefined;
  /** Set once the search must stop: the time limit passed, an interruption, the memory budget. */
  halt: Halt | undefined;
  peakRss = process.memoryUsage.rss();
  private readonly deadline: number;
  private readonly progressMs: number;
  private lastProgress = this.started;

  constructor(readonly cm: CompiledModel, readonly opts: SearchOptions) {
    this.maxDepth = opts.maxDepth ?? Infinity;
    this.checkDeadlock = opts.checkDeadlock ?? cm.checkDeadlock;
    this.continueAll = opts.continueAfterViolation ?? false;
    this.maxStoreBytes = opts.maxStoreBytes ?? defaultMemoryBudget();
    this.deadline = opts.maxSeconds !== undefined ? this.started + opts.maxSeconds * 1000 : Infinity;
    this.progressMs = (opts.progressEverySeconds ?? 5) * 1000;
    const selected = selectProperties(cm, opts.properties);
    const unsupported = selected.liveness?.length ? livenessUnsupportedBy(opts) : undefined;
    if (unsupported) {
      const named = selected.liveness!.filter((p) => opts.properties?.includes(p.name)).map((p) => p.name);
      if (named.length) {
        throw new UsageError(`liveness properties (${named.join(', ')}) are checked over the whole state graph; drop ${unsupported}`);
      }
      this.livenessSkipped = `liveness properties (${selected.liveness!.map((p) => p.name).join(', ')}) not checked: they need the whole state graph (no ${unsupported})`;
    }
    this.selected = unsupported ? { ...selected, liveness: [] } : selected;
    this.core = new TransitionCore(cm, this.selected, { avoidActions: opts.avoidActions }, { symmetry: opts.symmetry, por: opts.por });
  }

  /**
   * Prints progress when it is due; returns true once the search must stop:
   * the time limit passed, the interrupt word was set, or `bytesInUse` (the
   * store, links and queue) is over the memory budget.
   */
  tick(distinct: number, generated: number, queue: number, depth: number, bytesInUse = 0): boolean {
    if (this.halt) return true;
    const now = performance.now();
    const signal = this.opts.interrupt ? Atomics.load(this.opts.interrupt, 0) : 0;
    if (signal !== 0) {
      const name = Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
      this.halt = { by: 'interrupted', reason: name ? `interrupted by ${name}` : 'interrupted' };
    } else if (now >= this.deadline) {
      this.halt = { by: 'time', reason: `time limit of ${this.opts.maxSeconds} s reached` };
    } else if (bytesInUse > this.maxStoreBytes) {
      this.halt = { by: 'memory', reason: memoryReason(distinct, bytesInUse, this.maxStoreBytes) };
    }
    if (now - this.lastProgress >= this.progressMs) {
      this.lastProgress = now;
      const rss = process.memoryUsage.rss();
      if (rss > this.peakRss) this.peakRss = rss;
      this.opts.onProgress?.({ seconds: (now - this.started) / 1000, distinctStates: distinct, statesGenerated: generated, queue, depth, rssBytes: rss });
    }
    return this.halt !== undefined;
  }

  seconds(): number {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    return (performance.now() - this.started) / 1000;
  }
}

/**
 * Liveness is decided over the state graph the search records (in this
 * thread, depth-first too, or from the workers' edge logs:
 * parallel/level-edges.ts): with avoided actions or a checkpoint the graph
 * would be missing or partial. Under --symmetry the
 * graph would be one of orbits, where a cycle need not be a cycle of states
 * (TLC's issue #59), and --por keeps local states and steps, not fair cycles
 * (por.ts): both are refused with a named liveness property too. What rules
 * it out, or undefined.
 */
function livenessUnsupportedBy(opts: SearchOptions): string | undefined {
  if (opts.avoidActions?.length) return '--avoid-action';
  if (opts.checkpoint || opts.resume) return '--checkpoint/--resume';
  if (opts.symmetry) return '--symmetry';
  if (opts.por) return '--por';
  return undefined;
}

/** The most worker threads a search starts: each is an isolate of its own (tens of MiB), and past the core count they only wait. */
export const MAX_WORKERS = 64;

/** The worker count asked for, checked. */
export function workerCount(opts: SearchOptions): number {
  const n = opts.workers ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new UsageError(`--workers takes a whole number in 1..${MAX_WORKERS}, got ${n}`);
  return n;
}

/** What a run stopped by its memory budget says. */
export function memoryReason(states: number, bytes: number, budget: number): string {
  const m = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  return `memory: ${states.toLocaleString('en-US')} states, their store and queue use ${m(bytes)}, the budget is ${m(budget)} (--max-memory)`;
}

/** Whether an error is the engine failing to get memory (a typed array the system refused), which stops a run rather than crashing it. */
export function isAllocationFailure(e: unknown): e is RangeError {
  return e instanceof RangeError && /Array buffer allocation failed|Invalid typed array length|Invalid array buffer length|Array buffer allocation/i.test(e.message);
}
