// The breadth-first engine: shortest counterexamples, one level at a time.
//
// What a level is expanded on is a LevelExpander: this thread (local.ts) or
// N worker threads (parallel/levels.ts). Either numbers the new states of a
// level canonically — by (parent id, action instance) of their first
// discovery in breadth-first order — and reports what it found as
// *positions*, parent id x (instances + 1) + instance (a deadlock after every
// instance of its state). Everything else is written here once: the initial
// states, which finding comes first, where a run that stops at the first
// violation stops and what it holds then, the incomplete reason, the result.

import { type Halt, isAllocationFailure, memoryReason, type SearchContext } from './context.js';
import { StoreFullError } from './errors.js';
import { assembleResult, Findings, storeInitialStates } from './outcome.js';
import type { CheckResult } from './result.js';
import type { Links } from './trace.js';
import type { StateGraph } from './liveness/graph.js';
import { livenessResults } from './liveness/check.js';
import { readCheckpoint, runIdentity, type Snapshot, writeCheckpoint } from './checkpoint.js';
import { UsageError } from './errors.js';

/** One level to expand: the states with ids levelStart .. levelStart + size - 1. */
export interface LevelRequest {
  readonly levelStart: number;
  readonly size: number;
  readonly depth: number;
  /** States at the depth bound are not expanded (only checked for deadlock). */
  readonly atBound: boolean;
  /** Which properties are still looked for. */
  readonly invOpen: readonly number[];
  readonly apOpen: readonly number[];
  readonly goalOpen: readonly number[];
  readonly deadlockOpen: boolean;
}

export interface LevelOutcome {
  /** New states stored: ids levelStart + size .. levelStart + size + newStates - 1, canonical order. */
  readonly newStates: number;
  /** Frontier states left unexpanded (a stop, the time limit, a full store). */
  readonly unexpanded: number;
  /** The new states first reached from frontier state x are newStart + buckets[x] .. newStart + buckets[x + 1] - 1. */
  readonly buckets: Uint32Array;
  readonly generated: number;
  readonly generatedBy: ArrayLike<number>;
  readonly enabledStates: ArrayLike<number>;
  readonly cutByDepth: boolean;
  readonly cutByConstraint: boolean;
  /** The smallest position at which each property was found in this level, -1 for none. */
  readonly invMin: ArrayLike<number>;
  readonly apMin: ArrayLike<number>;
  readonly goalMin: ArrayLike<number>;
  readonly deadlockMin: number;
  /** Set when the store could not grow. */
  readonly fullReason?: string;
}

export interface LevelExpander {
  /** Parent and action of every stored state, by id. */
  readonly links: Links;
  /** The state graph, recorded when a liveness property is checked. */
  readonly graph?: StateGraph;
  readonly storeBytes: number;
  /** With symmetry: the states the stored orbits stand for (the sum of their sizes). */
  readonly representedStates?: number;
  /** With partial-order reduction: the states expanded with a smaller ample set. */
  readonly reducedStates?: number;
  /** Stores an initial state (packed); its id, or -1 when it was stored already. May throw StoreFullError. */
  addInitial(words: Uint32Array, init: number): number;
  expandLevel(req: LevelRequest): LevelOutcome;
  /** What the expander holds at a level boundary, for a checkpoint (absent: the expander cannot be checkpointed). */
  snapshot?(): Snapshot;
  /** What the expander held before the last expandLevel: for a checkpoint on interruption, taken back to that level's start. */
  snapshotLevelStart?(): Snapshot;
  /** Takes over a snapshot, before any initial state is added. */
  restore?(s: Snapshot): void;
  /** The search is over without an error (a parallel expander checks here that every worker started). */
  done(): void;
  /** Releases what the expander holds, also after an error. */
  close(): void;
}

export function breadthFirst(ctx: SearchContext, ex: LevelExpander): CheckResult {
  const { cm, core, selected } = ctx;
  const nInst = cm.instances.length;
  const stride = nInst + 1;
  const found = new Findings(selected, ctx.continueAll);
  const generatedBy = new Float64Array(nInst);
  const distinctBy = new Float64Array(nInst);
  const enabledStates = new Float64Array(cm.actionNames.length);
  const actionOf = Int32Array.from(cm.instances.map((i) => i.action));
  let generated = 0;
  let distinct = 0;
  let maxSeenDepth = 0;
  let cutByDepth = false;
  let cutByConstraint = false;
  let cut: Halt | undefined;
  let queueLeft = 0;

  // ---- checkpoints: at level boundaries (checkpoint.ts) ----------------------
  const { checkpoint, resume } = ctx.opts;
  const identity = checkpoint || resume ? runIdentity(cm, {
    maxDepth: ctx.maxDepth, checkDeadlock: ctx.checkDeadlock, continueAll: ctx.continueAll,
    properties: [...selected.invariants, ...selected.actionProperties, ...selected.goals].map((p) => p.name),
  }) : '';
  if ((checkpoint || resume) && (!ex.snapshot || !ex.restore)) {
    throw new UsageError('--checkpoint and --resume take a breadth-first search on one thread (no --workers, no --dfs)');
  }
  const everyMs = (checkpoint?.everySeconds ?? 300) * 1000;
  let lastCheckpoint = performance.now();
  let levelStart = 0;
  let size = 0;
  let startDepth = 0;
  /** The engine's part of a checkpoint at the boundary before `depth` (copies). */
  const engineState = (depth: number): Snapshot => ({
    arrays: {
      generatedBy: generatedBy.slice(), distinctBy: distinctBy.slice(), enabledStates: enabledStates.slice(),
      invFailedAt: found.invFailedAt.slice(), apFailedAt: found.apFailedAt.slice(), apFailedBy: found.apFailedBy.slice(), goalAt: found.goalAt.slice(),
    },
    numbers: {
      levelStart, size, depth, generated, distinct, maxSeenDepth, queueLeft,
      cutByDepth: +cutByDepth, cutByConstraint: +cutByConstraint, deadlockAt: found.deadlockAt,
    },
  });
  const save = (engine: Snapshot, x: Snapshot) => {
    const arrays = { ...engine.arrays };
    const numbers = { ...engine.numbers };
    for (const [k, v] of Object.entries(x.arrays)) arrays[`x.${k}`] = v;
    for (const [k, v] of Object.entries(x.numbers)) numbers[`x.${k}`] = v;
    writeCheckpoint(checkpoint!.dir, identity, { arrays, numbers });
    lastCheckpoint = performance.now();
    ctx.opts.onCheckpoint?.(engine.numbers.depth!, engine.numbers.distinct!);
  };
  let levelStartState: Snapshot | undefined;

  try {
    try {
      if (resume) {
        const snap = readCheckpoint(resume, identity);
        const n = snap.numbers;
        const a = snap.arrays;
        generatedBy.set(a.generatedBy!); distinctBy.set(a.distinctBy!); enabledStates.set(a.enabledStates!);
        found.invFailedAt.set(a.invFailedAt!); found.apFailedAt.set(a.apFailedAt!); found.apFailedBy.set(a.apFailedBy!); found.goalAt.set(a.goalAt!);
        found.deadlockAt = n.deadlockAt!;
        ({ levelStart, size, generated, distinct, maxSeenDepth, queueLeft } = n as Record<string, number>);
        startDepth = n.depth!;
        cutByDepth = n.cutByDepth === 1;
        cutByConstraint = n.cutByConstraint === 1;
        const strip = <T>(o: Readonly<Record<string, T>>) => Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith('x.')).map(([k, v]) => [k.slice(2), v]));
        ex.restore!({ arrays: strip(a), numbers: strip(n) });
      } else {
        const initial = storeInitialStates(core, (words, k) => ex.addInitial(words, k), found);
        generated = initial.generated;
        distinct = initial.stored;
        size = distinct;
        queueLeft = size;
      }

      // ---- levels --------------------------------------------------------
      for (let depth = startDepth; size > 0 && !found.stop && cut === undefined; depth++) {
        if (checkpoint) levelStartState = engineState(depth);
        maxSeenDepth = depth;
        const open = (a: ArrayLike<number>) => Array.from(a, (x) => (x === -1 ? 1 : 0));
        const level = ex.expandLevel({
          levelStart, size, depth, atBound: depth >= ctx.maxDepth,
          invOpen: open(found.invFailedAt), apOpen: open(found.apFailedAt), goalOpen: open(found.goalAt), deadlockOpen: found.deadlockAt === -1,
        });
        const newStart = levelStart + size;
        generated += level.generated;
        for (let i = 0; i < nInst; i++) generatedBy[i]! += level.generatedBy[i]!;
        for (let a = 0; a < enabledStates.length; a++) enabledStates[a]! += level.enabledStates[a]!;
        for (let p = 0; p < level.newStates; p++) distinctBy[ex.links.action(newStart + p)]!++;
        cutByDepth ||= level.cutByDepth;
        cutByConstraint ||= level.cutByConstraint;
        distinct = newStart + level.newStates;
        queueLeft = level.unexpanded + level.newStates;
        const atStop = record(level, levelStart, size);
        if (atStop) { queueLeft = atStop.queue; distinct = atStop.distinct; ex.graph?.stopAt(atStop.state, atStop.lastInst); }
        if (level.fullReason !== undefined) cut = { by: 'memory', reason: level.fullReason };
        else if (ctx.halt && queueLeft > 0) cut = ctx.halt;
        levelStart = newStart;
        size = level.newStates;
        if (checkpoint && size > 0 && !found.stop && cut === undefined && performance.now() - lastCheckpoint >= everyMs) save(engineState(depth + 1), ex.snapshot!());
      }
      // Interrupted inside a level: the checkpoint goes back to that level's start, so that no work before it is lost.
      if (checkpoint && cut?.by === 'interrupted' && levelStartState && ex.snapshotLevelStart) save(levelStartState, ex.snapshotLevelStart());
    } catch (e) {
      if (e instanceof StoreFullError) cut = { by: 'memory', reason: e.message };
      else if (isAllocationFailure(e)) cut = { by: 'memory', reason: memoryReason(distinct, ex.storeBytes, ctx.maxStoreBytes) + `; the system refused more (${e.message})` };
      else throw e;
    }
    ex.done();
  } finally {
    ex.close();
  }

  /**
   * Records the level's findings by state id, as a sequential breadth-first
   * search meets them. Without --continue that search stops at the first
   * violation P = (s, i), after finishing the instances of s up to and
   * including the next one that stores a new state; everything met up to
   * there is reported, and the size of the store and queue there returned,
   * with that state and the last instance it took.
   */
  function record(level: LevelOutcome, levelStart: number, size: number): { queue: number; distinct: number; state: number; lastInst: number } | undefined {
    const { buckets } = level;
    const newStart = levelStart + size;
    const instOf = (p: number) => ex.links.action(newStart + p);
    const idAt = (pos: number) => {
      const x = Math.floor(pos / stride) - levelStart;
      const inst = pos % stride;
      for (let p = buckets[x]!; p < buckets[x + 1]!; p++) if (instOf(p) === inst) return newStart + p;
      throw new Error(`breadth-first search: no new state was reached from ${x + levelStart} by instance ${inst}`);
    };
    let upTo = Infinity;
    let atStop: { queue: number; distinct: number; state: number; lastInst: number } | undefined;
    if (!ctx.continueAll) {
      let first = -1;
      const consider = (p: number) => { if (p >= 0 && (first < 0 || p < first)) first = p; };
      for (let k = 0; k < level.invMin.length; k++) if (found.invFailedAt[k] === -1) consider(level.invMin[k]!);
      for (let k = 0; k < level.apMin.length; k++) if (found.apFailedAt[k] === -1) consider(level.apMin[k]!);
      if (found.deadlockAt === -1) consider(level.deadlockMin);
      if (first >= 0) {
        const x = Math.floor(first / stride) - levelStart;
        const i = first % stride;
        upTo = first;
        if (i < nInst) {
          // the next instance >= i of s that stored a new state, else the last one
          let next = nInst - 1;
          for (let p = buckets[x]!; p < buckets[x + 1]!; p++) if (instOf(p) >= i) { next = instOf(p); break; }
          upTo = (x + levelStart) * stride + next;
        }
        let stored = buckets[x]!;
        while (stored < buckets[x + 1]! && (x + levelStart) * stride + instOf(stored) <= upTo) stored++;
        atStop = { queue: size - 1 - x + stored, distinct: newStart + stored, state: x + levelStart, lastInst: upTo % stride };
      }
    }
    for (let k = 0; k < level.invMin.length; k++) {
      const p = level.invMin[k]!;
      if (found.invFailedAt[k] === -1 && p >= 0 && p <= upTo) found.invariantFails(k, idAt(p));
    }
    for (let k = 0; k < level.apMin.length; k++) {
      const p = level.apMin[k]!;
      if (found.apFailedAt[k] === -1 && p >= 0 && p <= upTo) found.actionPropertyFails(k, Math.floor(p / stride), p % stride);
    }
    for (let k = 0; k < level.goalMin.length; k++) {
      const p = level.goalMin[k]!;
      if (found.goalAt[k] === -1 && p >= 0 && p <= upTo) found.goalReached(k, idAt(p));
    }
    const d = level.deadlockMin;
    if (found.deadlockAt === -1 && d >= 0 && d <= upTo) found.deadlock(Math.floor(d / stride));
    return atStop;
  }

  if (!cut && !found.stop) {
    if (cutByDepth) cut = { by: 'depth', reason: `depth bound ${ctx.maxDepth} cut the search` };
    else if (cutByConstraint) cut = { by: 'constraint', reason: 'the state constraint cut the search' };
  }
  const stoppedEarly = found.stop && queueLeft > 0;
  if (!cut && stoppedEarly) cut = { by: 'violation', reason: 'stopped at the first violation' };
  const complete = !cut;
  const reachedGoals = new Set(selected.goals.filter((_, k) => found.goalAt[k]! >= 0).map((g) => g.name));
  const liveness = livenessResults(cm, selected.liveness ?? [], ex.graph, ex.links, complete,
    (names) => (names ?? []).filter((g) => !reachedGoals.has(g)));
  const seconds = ctx.seconds();
  return assembleResult(cm, selected, {
    strategy: 'bfs', complete, incompleteReason: cut?.reason, cutShortBy: cut?.by,
    links: ex.links, findings: found,
    distinct, generated, queueLeft, depth: maxSeenDepth, seconds, storeBytes: ex.storeBytes, peakRss: ctx.peakRss,
    actionOf, generatedBy, distinctBy, enabledStates, liveness, livenessSkipped: ctx.livenessSkipped,
    // Under --por too the orbits stand for the reduced graph's states, not the model's: no count without the reductions.
    symmetry: core.symmetry, representedStates: core.independence ? undefined : ex.representedStates,
    ...(core.independence ? { partialOrder: { components: core.independence.set, reducedStates: ex.reducedStates ?? 0 } } : {}),
  });
}
