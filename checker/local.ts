// Expansion in the calling thread: states taken from a packed queue, their
// successors from the transition core, new ones stored in the fingerprint
// store (which numbers them in the order they are found) and queued. The
// breadth-first engine uses it as its one-worker level expander (FIFO queue,
// a level at a time); the depth-first engine uses the same expansion with the
// queue as a stack.

import type { LevelExpander, LevelOutcome, LevelRequest } from './bfs.js';
import type { Snapshot } from './checkpoint.js';
import { isAllocationFailure, memoryReason, type SearchContext } from './context.js';
import { Successors, type TransitionCore } from './core.js';
import { Coverage } from './coverage.js';
import { StoreFullError } from './errors.js';
import { FP, fingerprint } from './fingerprint.js';
import { StateQueue } from './queue.js';
import { RecentFingerprints } from './recent.js';
import { FingerprintSet, FingerprintStore, type StoreContents } from './store.js';
import { StateGraph } from './liveness/graph.js';

/** How often (in expanded states) the clock is read. */
const TICK_MASK = 0x3fff;

export class LocalExplorer {
  readonly store: FingerprintStore;
  readonly queue: StateQueue;
  readonly core: TransitionCore;
  /** The packed state being expanded. */
  readonly curPacked: Uint32Array;
  private readonly succ: Successors;
  private readonly stride: number;
  /** The state graph, recorded only when a liveness property is checked. */
  readonly graph: StateGraph | undefined;

  // What was found first, by position (state id x (instances + 1) + instance; a deadlock after every instance) and by id.
  readonly invPos: Float64Array;
  readonly invId: Int32Array;
  readonly apPos: Float64Array;
  readonly apId: Int32Array;
  readonly apInst: Int32Array;
  readonly goalPos: Float64Array;
  readonly goalId: Int32Array;
  deadlockPos = -1;
  deadlockId = -1;
  /** Whether a deadlock is still looked for. */
  deadlockOpen = true;
  /** A violation was found and the run does not go on after one. */
  stop = false;

  // Counts, cumulative over the run.
  generated = 0;
  expanded = 0;
  readonly coverage: Coverage;
  cutByDepth = false;
  cutByConstraint = false;
  /** With symmetry: the states the stored orbits stand for. */
  represented = 0;
  private readonly countOrbits: boolean;
  /** With --por: per instance, the one component it touches, or -1 (por.ts). */
  private readonly localTo: Int32Array;
  private readonly por: boolean;
  /** With --por: states expanded with an ample set smaller than all their steps. */
  reducedStates = 0;
  /** With --por: the fingerprints stored at depth nextLevelDepth (the level being built), for the proviso. */
  private readonly nextLevel = new FingerprintSet();
  /** The fingerprints just looked up in the store. */
  private readonly recent = new RecentFingerprints();
  /** The fingerprints of the successors of the state being expanded (lo, hi pairs; at most one a instance). */
  private readonly succFps: Int32Array;
  /** Keeps the home-slot reads of expandOne from being optimised away. */
  private sink = 0;
  private nextLevelDepth = -1;

  /** @param order 'bfs' when states are expanded in the order they are stored (the compact links of store-links.ts), 'any' for depth-first. */
  constructor(private readonly ctx: SearchContext, order: 'bfs' | 'any') {
    const { cm, core } = ctx;
    this.core = core;
    this.queue = new StateQueue(core.W);
    this.store = new FingerprintStore(ctx.maxStoreBytes, Math.max(cm.instances.length, cm.inits.length), order, 1 << 16, () => this.queue.bytes + (this.graph?.bytes ?? 0));
    this.curPacked = new Uint32Array(core.W);
    this.succ = new Successors(core);
    const nInst = cm.instances.length;
    this.stride = nInst + 1;
    this.succFps = new Int32Array(2 * Math.max(1, nInst));
    const { invariants, actionProperties, goals } = ctx.selected;
    this.invPos = new Float64Array(invariants.length).fill(-1);
    this.invId = new Int32Array(invariants.length).fill(-1);
    this.apPos = new Float64Array(actionProperties.length).fill(-1);
    this.apId = new Int32Array(actionProperties.length).fill(-1);
    this.apInst = new Int32Array(actionProperties.length).fill(-1);
    this.goalPos = new Float64Array(goals.length).fill(-1);
    this.goalId = new Int32Array(goals.length).fill(-1);
    this.coverage = new Coverage(Int32Array.from(cm.instances.map((i) => i.action)), cm.actionNames.length);
    this.countOrbits = core.symmetry !== undefined;
    this.por = core.independence !== undefined;
    this.localTo = core.independence?.localTo ?? new Int32Array(0);
    const liveness = ctx.selected.liveness ?? [];
    // Depth-first, states are expanded in stack order, not id order: the graph's rows are sorted once at the end.
    this.graph = liveness.length > 0 ? new StateGraph(liveness, nInst, { anyOrder: ctx.opts.strategy === 'dfs' }) : undefined;
  }

  /**
   * Partial-order reduction: the component whose steps alone are taken from
   * this state, or -1 for all steps. C0 and C1 come from the core; here the
   * cycle proviso (C3): every ample successor must be new, so that it lies
   * one level deeper (por.ts).
   */
  private ampleFor(depth: number): number {
    const { core, succ, store, localTo } = this;
    if (depth !== this.nextLevelDepth - 1) { this.nextLevel.clear(); this.nextLevelDepth = depth + 1; }
    const n = core.ampleCandidates(succ);
    const W = core.W;
    for (let k = 0; k < n; k++) {
      const g = core.ampleOrder[k]!;
      let deeper = true;
      for (let q = 0; q < succ.count && deeper; q++) {
        if (localTo[succ.inst[q]!] !== g) continue;
        fingerprint(succ.words, q * W, W);
        // stored before, and not in the level being built: its depth is at most this state's
        if (store.has(FP[0]!, FP[1]!) && !this.nextLevel.has(FP[0]!, FP[1]!)) deeper = false;
      }
      if (deeper) { this.reducedStates++; return g; }
    }
    return -1;
  }

  /** Whether the clock says stop (read every TICK_MASK + 1 expansions). */
  tickDue(depth: number): boolean {
    if ((++this.expanded & TICK_MASK) !== 0) return false;
    // The state graph, when one is recorded, counts against the memory budget too.
    return this.ctx.tick(this.store.size, this.generated, this.queue.length, depth, this.store.bytes + this.queue.bytes + (this.graph?.bytes ?? 0));
  }

  /**
   * Expands the state in curPacked (id, depth): stores and queues its new
   * successors, and records what it finds first. Without --continue it stops
   * at the first new state stored after a violation, or after the state.
   */
  expandOne(id: number, depth: number, atBound: boolean): void {
    const { core, succ, store, queue, stride, graph } = this;
    graph?.begin(id);
    if (!core.expand(this.curPacked, 0, atBound, succ)) { this.cutByConstraint = true; graph?.partial(id); return; }
    if (atBound && succ.enabled) graph?.partial(id);
    const enabled = succ.enabled;
    if (atBound && enabled) this.cutByDepth = true;
    const W = core.W;
    const { words, inst, apFailAt, apFailProp } = succ;
    const coverage = this.coverage;
    const count = succ.count;
    const apFails = succ.apFails;
    const checkStates = core.invariants.length + core.goals.length > 0;
    const ample = this.por && count > 0 ? this.ampleFor(depth) : -1;
    const localTo = this.localTo;
    // The fingerprints first, each home slot read as soon as it is known: those
    // reads do not wait for one another, so their cache misses overlap here
    // instead of each stalling the insertion below in turn.
    const fps = this.succFps;
    // (Not those just looked up: they are in the store, known without it.)
    const recent = this.recent;
    let touched = 0;
    for (let r = 0; r < count; r++) {
      fingerprint(words, r * W, W);
      const lo = FP[0]!, hi = FP[1]!;
      fps[2 * r] = lo;
      fps[2 * r + 1] = hi;
      if (!recent.has(lo, hi)) touched ^= store.touch(lo);
    }
    this.sink ^= touched;
    let skipped = 0;
    let f = 0;
    let q = 0;
    for (; q < count; q++) {
      const i = inst[q]!;
      // An action property fails on the step as taken, so a step left out of the ample set still reports it.
      while (f < apFails && apFailAt[f] === q) {
        const k = apFailProp[f++]!;
        if (this.apPos[k] === -1) { this.apPos[k] = id * stride + i; this.apId[k] = id; this.apInst[k] = i; this.violated(); }
      }
      if (ample >= 0 && localTo[i] !== ample) { skipped++; continue; }
      coverage.count(i, id);
      const lo = fps[2 * q]!, hi = fps[2 * q + 1]!;
      const nid = recent.has(lo, hi) ? -1 : store.add(lo, hi, id, i, depth + 1);
      recent.note(lo, hi);
      if (graph !== undefined) this.record(graph, nid, i, words, q * W, lo, hi);
      if (nid < 0) continue;
      queue.push(nid, words, q * W);
      if (this.por) this.nextLevel.add(lo, hi);
      if (this.countOrbits) this.represented += core.orbitSize(words, q * W);
      if (checkStates) this.checkNew(words, q * W, nid, id * stride + i);
      if (this.stop) { q++; break; }
    }
    this.generated += q - skipped;
    if (graph !== undefined && q < count) graph.partial(id);
    if (!enabled && this.ctx.checkDeadlock && this.deadlockOpen && this.deadlockPos === -1) {
      this.deadlockPos = id * stride + stride - 1;
      this.deadlockId = id;
      this.violated();
    }
  }

  /** The store was replaced: what was looked up in the one before says nothing of it. */
  forgetRecent(): void {
    this.recent.clear();
  }

  /** An edge of the state graph to the successor in words[at] (new when nid >= 0), and the labels of a new state. */
  private record(graph: StateGraph, nid: number, inst: number, words: Uint32Array, at: number, lo: number, hi: number): void {
    graph.edge(graph.stored(lo, hi, nid), inst);
    if (nid < 0) return;
    this.core.loadNext(words, at);
    graph.label(nid, this.core.nextView);
  }

  /** Stores initial state `init` (packed in `words`); returns its id, or -1 when it is already stored. */
  addInitial(words: Uint32Array, init: number): number {
    fingerprint(words, 0, this.core.W);
    const id = this.store.add(FP[0]!, FP[1]!, 0xffffffff, init, 0);
    if (this.graph !== undefined && id >= 0) {
      this.graph.stored(FP[0]!, FP[1]!, id);
      this.core.loadNext(words, 0);
      this.graph.label(id, this.core.nextView);
    }
    if (id >= 0) {
      this.queue.push(id, words, 0);
      if (this.countOrbits) this.represented += this.core.orbitSize(words, 0);
    }
    return id;
  }

  /** Invariants and goals on a newly stored state; in this thread the first hit is the first in the engine's order. */
  private checkNew(words: Uint32Array, at: number, nid: number, pos: number): void {
    const core = this.core;
    core.loadNext(words, at);
    core.checkNext();
    for (let h = 0; h < core.invHitCount; h++) {
      const k = core.invHits[h]!;
      core.invOpen[k] = 0;
      this.invPos[k] = pos; this.invId[k] = nid;
      this.violated();
    }
    for (let h = 0; h < core.goalHitCount; h++) {
      const k = core.goalHits[h]!;
      core.goalOpen[k] = 0;
      this.goalPos[k] = pos; this.goalId[k] = nid;
    }
  }

  private violated(): void {
    if (!this.ctx.continueAll) this.stop = true;
  }
}

/** The breadth-first engine's level expander in this thread: the queue is FIFO, and ids are canonical as stored. */
export class LocalLevels implements LevelExpander {
  private readonly x: LocalExplorer;
  private generatedBefore = 0;
  private readonly generatedByBefore: Float64Array;
  private readonly enabledBefore: Float64Array;

  constructor(ctx: SearchContext) {
    this.x = new LocalExplorer(ctx, 'bfs');
    this.keepLevelStart = ctx.opts.checkpoint !== undefined;
    this.generatedByBefore = new Float64Array(this.x.coverage.generatedBy.length);
    this.enabledBefore = new Float64Array(this.x.coverage.enabledStates.length);
  }

  get links() { return this.x.store; }
  get representedStates(): number { return this.x.represented; }
  get reducedStates(): number { return this.x.reducedStates; }
  get graph() { return this.x.graph; }
  get storeBytes(): number { return this.x.store.bytes + this.x.queue.bytes + (this.x.graph?.bytes ?? 0); }

  addInitial(words: Uint32Array, init: number): number {
    return this.x.addInitial(words, init);
  }

  expandLevel(req: LevelRequest): LevelOutcome {
    const x = this.x;
    const { store, queue, core } = x;
    core.invOpen.set(req.invOpen);
    core.goalOpen.set(req.goalOpen);
    core.openActionProperties(req.apOpen);
    x.invPos.fill(-1); x.apPos.fill(-1); x.goalPos.fill(-1); x.deadlockPos = -1;
    x.deadlockOpen = req.deadlockOpen;
    x.stop = false;
    const newStart = req.levelStart + req.size;
    if (this.keepLevelStart) {
      this.levelStart = {
        frontier: queue.contents(), newStart, cutByDepth: x.cutByDepth, cutByConstraint: x.cutByConstraint,
        generated: x.generated, generatedBy: x.coverage.generatedBy.slice(), enabledStates: x.coverage.enabledStates.slice(),
      };
    }
    const buckets = new Uint32Array(req.size + 1);
    let expandedNow = 0;
    let fullReason: string | undefined;
    try {
      for (; expandedNow < req.size; expandedNow++) {
        if (x.stop || x.tickDue(req.depth)) break;
        const id = queue.shift(x.curPacked);
        x.expandOne(id, req.depth, req.atBound);
        buckets[expandedNow + 1] = store.size - newStart;
      }
    } catch (e) {
      if (e instanceof StoreFullError) fullReason = e.message;
      else if (isAllocationFailure(e)) fullReason = memoryReason(store.size, this.storeBytes, store.maxBytes) + `; the system refused more (${e.message})`;
      else throw e;
      x.graph?.abandonLast();
      buckets[expandedNow + 1] = store.size - newStart;
      expandedNow++; // the state being expanded is not queued again
    }
    for (let p = expandedNow + 1; p <= req.size; p++) buckets[p] = buckets[expandedNow]!;
    const level = {
      newStates: store.size - newStart,
      unexpanded: req.size - expandedNow,
      buckets,
      generated: x.generated - this.generatedBefore,
      generatedBy: x.coverage.generatedBy.map((v, i) => v - this.generatedByBefore[i]!),
      enabledStates: x.coverage.enabledStates.map((v, a) => v - this.enabledBefore[a]!),
      cutByDepth: x.cutByDepth,
      cutByConstraint: x.cutByConstraint,
      invMin: x.invPos, apMin: x.apPos, goalMin: x.goalPos, deadlockMin: x.deadlockPos,
      fullReason,
    };
    this.generatedBefore = x.generated;
    this.generatedByBefore.set(x.coverage.generatedBy);
    this.enabledBefore.set(x.coverage.enabledStates);
    return level;
  }

  /** With a checkpoint, what a level started from (for snapshotLevelStart): its frontier and the flags. */
  private levelStart: {
    frontier: { ids: Uint32Array; words: Uint32Array }; newStart: number; cutByDepth: boolean; cutByConstraint: boolean;
    generated: number; generatedBy: Float64Array; enabledStates: Float64Array;
  } | undefined;
  private readonly keepLevelStart: boolean;

  snapshotLevelStart(): Snapshot {
    const x = this.x;
    const at = this.levelStart!;
    const s = x.store.contents(at.newStart);
    // the states stored since the level started are the queue's last ones: their fingerprints come out of the table
    const q = x.queue.contents();
    const W = x.core.W;
    const added = x.store.size - at.newStart;
    const fps = new Uint32Array(added * 2);
    for (let k = 0; k < added; k++) {
      fingerprint(q.words, (q.ids.length - added + k) * W, W);
      fps[2 * k] = FP[0]!;
      fps[2 * k + 1] = FP[1]!;
    }
    return {
      arrays: {
        table: x.store.tableWithout(fps), ...linkArrays(s.links), queueIds: at.frontier.ids, queueWords: at.frontier.words,
        generatedBy: at.generatedBy, enabledStates: at.enabledStates,
      },
      numbers: { size: at.newStart, generated: at.generated, expanded: x.expanded, cutByDepth: +at.cutByDepth, cutByConstraint: +at.cutByConstraint },
    };
  }

  snapshot(): Snapshot {
    const x = this.x;
    const s = x.store.contents();
    const q = x.queue.contents();
    return {
      arrays: { table: s.table, ...linkArrays(s.links), queueIds: q.ids, queueWords: q.words, generatedBy: x.coverage.generatedBy, enabledStates: x.coverage.enabledStates },
      numbers: { size: s.size, generated: x.generated, expanded: x.expanded, cutByDepth: +x.cutByDepth, cutByConstraint: +x.cutByConstraint },
    };
  }

  restore(snap: Snapshot): void {
    const x = this.x;
    const a = snap.arrays as Record<string, Uint32Array & Float64Array>;
    const n = snap.numbers;
    const links = Object.fromEntries(Object.entries(snap.arrays).filter(([k]) => k.startsWith('links.')).map(([k, v]) => [k.slice(6), v as Uint32Array]));
    x.store.restore({ table: a.table!, links, size: n.size! });
    x.forgetRecent();
    x.queue.pushAll(a.queueIds!, a.queueWords!);
    x.generated = n.generated!;
    x.expanded = n.expanded!;
    x.cutByDepth = n.cutByDepth === 1;
    x.cutByConstraint = n.cutByConstraint === 1;
    x.coverage.generatedBy.set(a.generatedBy!);
    x.coverage.enabledStates.set(a.enabledStates!);
    this.generatedBefore = x.generated;
    this.generatedByBefore.set(x.coverage.generatedBy);
    this.enabledBefore.set(x.coverage.enabledStates);
  }

  done(): void { /* nothing to wait for */ }
  close(): void { /* nothing to release */ }
}

/** A store's link arrays under checkpoint names. */
function linkArrays(links: StoreContents['links']): Record<string, StoreContents['links'][string]> {
  return Object.fromEntries(Object.entries(links).map(([k, v]) => [`links.${k}`, v]));
}
