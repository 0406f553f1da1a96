// What every search of one run shares: its options resolved, the properties
// selected, the transition core, and the clock (time limit, progress line,
// peak memory). Engines ask `tick` now and then whether to go on.

import type { CompiledModel } from './compile.js';
import { TransitionCore, type SelectedProperties } from './core.js';
import { UsageError } from './errors.js';
import type { Progress } from './result.js';
import { selectProperties } from './select.js';

export interface SearchOptions {
  readonly strategy?: 'bfs' | 'dfs';
  /** States at this depth are not expanded (the initial states are depth 0). */
  readonly maxDepth?: number;
  readonly maxSeconds?: number;
  /** Memory the fingerprint store may take, in bytes. */
  readonly maxStoreBytes?: number;
  /** Keep going after a violation, to report every violated property. */
  readonly continueAfterViolation?: boolean;
  /** Overrides the model's own deadlock setting. */
  readonly checkDeadlock?: boolean;
  /** Only these properties (by name) are checked; goals named by them are kept. */
  readonly properties?: readonly string[];
  readonly progressEverySeconds?: number;
  readonly onProgress?: (p: Progress) => void;
  /** Breadth-first search expands each level on this many worker threads; 1 (the default) expands it in this thread. */
  readonly workers?: number;
  /** Actions the search never takes (see core.ts StepFilter); the result says they were avoided. */
  readonly avoidActions?: readonly string[];
  /** Where worker threads load the model from: an ES module and the name of its export (a ModelDef, or a function returning one). */
  readonly modelSource?: ModelSource;
}

/** An ES module (a file path or URL) exporting a ModelDef, or a function returning one (called with `args`, which must be structured-cloneable). */
export interface ModelSource {
  readonly kind: 'module';
  readonly module: string;
  readonly export: string;
  readonly args?: readonly unknown[];
}

export const DEFAULT_STORE_BYTES = 8 * 2 ** 30;

export class SearchContext {
  readonly started = performance.now();
  readonly maxDepth: number;
  readonly checkDeadlock: boolean;
  readonly continueAll: boolean;
  readonly maxStoreBytes: number;
  readonly selected: SelectedProperties;
  readonly core: TransitionCore;
  /** Set once the time limit has passed. */
  timeUp = false;
  peakRss = process.memoryUsage.rss();
  private readonly deadline: number;
  private readonly progressMs: number;
  private lastProgress = this.started;

  constructor(readonly cm: CompiledModel, readonly opts: SearchOptions) {
    this.maxDepth = opts.maxDepth ?? Infinity;
    this.checkDeadlock = opts.checkDeadlock ?? cm.checkDeadlock;
    this.continueAll = opts.continueAfterViolation ?? false;
    this.maxStoreBytes = opts.maxStoreBytes ?? DEFAULT_STORE_BYTES;
    this.deadline = opts.maxSeconds !== undefined ? this.started + opts.maxSeconds * 1000 : Infinity;
    this.progressMs = (opts.progressEverySeconds ?? 5) * 1000;
    this.selected = selectProperties(cm, opts.properties);
    this.core = new TransitionCore(cm, this.selected, { avoidActions: opts.avoidActions });
  }

  get timeLimitReason(): string {
    return `time limit of ${this.opts.maxSeconds} s reached`;
  }

  /** Prints progress when it is due; returns true once the time limit has passed. */
  tick(distinct: number, generated: number, queue: number, depth: number): boolean {
    const now = performance.now();
    if (now >= this.deadline) this.timeUp = true;
    if (now - this.lastProgress >= this.progressMs) {
      this.lastProgress = now;
      const rss = process.memoryUsage.rss();
      if (rss > this.peakRss) this.peakRss = rss;
      this.opts.onProgress?.({ seconds: (now - this.started) / 1000, distinctStates: distinct, statesGenerated: generated, queue, depth, rssBytes: rss });
    }
    return this.timeUp;
  }

  seconds(): number {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    return (performance.now() - this.started) / 1000;
  }
}

/** The worker count asked for, checked. */
export function workerCount(opts: SearchOptions): number {
  const n = opts.workers ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers takes a whole number of at least 1, got ${n}`);
  return n;
}
