// The breadth-first engine's level expander on N worker threads
// (`check(cm, { workers: N })`, N > 1; bfs.ts is the engine itself).
//
// The coordinator (the calling thread) holds the current
// level, bit-packed, in a SharedArrayBuffer; N worker threads claim chunks of
// it from a shared cursor, expand them exactly as the sequential engine does,
// and insert successors into one shared fingerprint table (protocol.ts,
// shared-table.ts), the new ones with their packed words into the level's
// shared arena. At the end of a level the coordinator numbers the arena's
// states in *canonical* order — by
// (parent id, action instance) of their first discovery in the sequential
// engine's order, which the table's keys record — so state ids, parent links,
// traces, coverage and the choice among simultaneous violations are the
// sequential engine's, whatever the interleaving of the workers. With a
// liveness property the engines also log each state's edges, and the
// coordinator builds the state graph from the logs once a level is numbered
// (level-edges.ts): the sequential engine's graph, edge for edge.
//
// The coordinator is synchronous (check() stays synchronous): it blocks on
// Atomics.wait over a shared signal word and reads worker replies with
// receiveMessageOnPort. It wakes at least every 200 ms to print progress and
// enforce the time limit. DAXCHECK_PAR_DEBUG=1 prints per-level timings.
// This file is over 300 lines because the coordinator's protocol (claims,
// growth, finalize, canonical numbering) is one state machine; splitting it
// would scatter the invariants the comments above describe.
//
// Growth: a worker reserves room for the worst case (every successor new)
// before it claims a chunk, so neither the table nor the arena can overfill;
// when the load passes GROW_LOAD (or the arena's room its margin), or a claim
// does not fit, it sets C_GROW and pauses. Once every worker has paused at a
// chunk boundary, the coordinator grows the table by half in place (its
// buffer is reserved once, and only the part in use takes memory) and adds
// arena segments, and resumes the level where the cursor stands. A table the
// memory limit does not allow is a StoreFullError: the result is incomplete,
// and no state is ever dropped silently.
//
// Memory: 8 bytes a slot at a load of 50-75 %, the parent links as the
// sequential engine keeps them (store-links.ts BreadthFirstLinks, about 2
// bytes a state), and per state of the largest level its arena entry and
// its frontier words.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { LevelExpander, LevelOutcome, LevelRequest } from '../bfs.js';
import type { ModelSource, SearchContext } from '../context.js';
import { SchemaViolation, StoreFullError, UsageError } from '../errors.js';
import { FP, fingerprint } from '../fingerprint.js';
import type { Links } from '../trace.js';
import { BreadthFirstLinks, NO_PARENT } from '../store-links.js';
import {
  C_COUNT, C_CURSOR, C_ENTRY, C_GROW, C_HARD, C_LIMIT, C_RESERVED, C_SIGNAL, C_STOP, CONTROL_WORDS, ENTRY_BLOCK, ENTRY_HEAD, GROW_LOAD, HARD_LOAD,
  SEGMENT_BITS, SLOT_WORDS, STAT_WORDS, modelSignature, type Command, type LevelReport, type Reply, type WorkerData,
} from './protocol.js';
import { entryWords, grownSlots, growInPlace, insertFinal, nonZero, reserveTable, tableHi } from './shared-table.js';
import { Engine } from './worker-engine.js';
import { StateGraph } from '../liveness/graph.js';
import { addLevelToGraph } from './level-edges.js';

const WAIT_MS = 200;
/** Most states a worker claims at once (fewer near the end of a level, and when the table is nearly full). */
const DEFAULT_CHUNK = 1024;
/** The smallest table. */
const MIN_SLOTS = 1024;
/** The coordinator grows the table before a level so each worker can claim chunks of at least this many states. */
const HEADROOM_STATES = 64;
/** Levels smaller than this the coordinator expands itself (DAXCHECK_PARALLEL_LOCAL_STATES; 0: never). */
const LOCAL_STATES = 1024;
/** ... and, while the workers are still starting, levels smaller than this. */
const LOCAL_STATES_WHILE_STARTING = 1 << 16;

/** Where worker threads start: dist/checker/parallel/worker.js, also when this module runs from TypeScript sources (vitest). */
function workerEntry(): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/checker/parallel/worker.js', here) : new URL('./worker.js', here);
  if (!existsSync(url)) throw new Error(`--workers: the worker entry ${fileURLToPath(url)} is missing; build with: npx tsc -p .`);
  return url;
}

/**
 * The module a worker imports for `source`. Workers run compiled JavaScript;
 * when a model module of this project is named by its TypeScript source (as
 * it is when the checker itself runs from sources under vitest), its twin in
 * dist/ is the one to load.
 */
function workerModelSource(source: ModelSource): ModelSource {
  if (!source.module.startsWith('file:')) return source;
  const root = new URL(import.meta.url.endsWith('.ts') ? '../../' : '../../../', import.meta.url);
  const path = new URL(source.module).pathname;
  const rel = path.startsWith(root.pathname) ? path.slice(root.pathname.length) : undefined;
  if (rel === undefined || rel.startsWith('dist/') || (!rel.endsWith('.ts') && existsSync(new URL(source.module)))) return source;
  const twin = new URL(`dist/${rel.replace(/\.ts$/, '.js')}`, root);
  if (!existsSync(twin)) throw new Error(`--workers: ${fileURLToPath(twin)} is missing; build with: npx tsc -p .`);
  return { ...source, module: twin.href };
}

const tableBytes = (slots: number) => slots * SLOT_WORDS * 4;

export class ParallelLevels implements LevelExpander {
  readonly links: Links;
  private readonly W: number;
  private readonly EW: number;
  private readonly nInst: number;
  /** Slots in use, and how many the reserved buffer holds. */
  private slots = MIN_SLOTS;
  private readonly capacity: number;
  private readonly tableSab: SharedArrayBuffer;
  private readonly table: Uint32Array;
  /** The level's new states (protocol.ts), in segments, kept from level to level. */
  private readonly arenaSabs: SharedArrayBuffer[] = [];
  private readonly arena: Uint32Array[] = [];
  /** Arena entries an engine may leave unused, and the room kept free beyond the reservations. */
  private readonly arenaSlack: number;
  private readonly arenaMargin: number;
  /** States stored before the level being expanded. */
  private levelBase = 0;
  private readonly control: Int32Array;
  private readonly stats: Float64Array;
  private readonly store: BreadthFirstLinks;
  private count = 0;
  /** The initial states, packed, until the first level makes them its frontier. */
  private initialWords: number[] | undefined = [];
  private frontierSab = new SharedArrayBuffer(0);
  /** The buffer the next frontier is written to (the one before the current), and absorb's work arrays, kept from level to level. */
  private spareFrontier = new SharedArrayBuffer(0);
  private bucketsBuf = new Uint32Array(0);
  private instsBuf = new Uint32Array(0);
  private fillBuf = new Uint32Array(0);
  private readonly ports: MessagePort[] = [];
  private readonly threads: Worker[] = [];
  private readonly ready: boolean[];
  private allReady = false;
  private readonly localEngine: Engine;
  private readonly localStates: number;
  private readonly localWhileStarting: number;
  private local = false;
  private depth = 0;
  private levelSize = 0;
  private generatedSoFar = 0;
  /** With symmetry: the states the stored orbits stand for. */
  representedStates = 0;
  /** The state graph, built from the engines' edge logs when a liveness property is checked (level-edges.ts). */
  readonly graph: StateGraph | undefined;

  constructor(private readonly ctx: SearchContext, private readonly nWorkers: number) {
    const { cm } = ctx;
    if (!ctx.opts.modelSource) {
      throw new UsageError(`--workers: worker threads load model ${cm.model} from its module; give a modelSource (the module's URL and the export's name)`);
    }
    const source = workerModelSource(ctx.opts.modelSource);
    this.W = ctx.core.W;
    this.EW = entryWords(this.W);
    this.nInst = cm.instances.length;
    if (this.nInst + 1 >= 2 ** 20) throw new UsageError(`--workers: ${this.nInst} action instances are more than the parallel engine numbers (2^20)`);
    this.store = new BreadthFirstLinks(Math.max(this.nInst, cm.inits.length));
    // The largest table the memory limit allows is reserved; a tight limit is enforced by the first growth.
    // The sequential store's sizes (store.ts): doubling up to 2^16 slots, then by half.
    while (this.slots < 1 << 16 && this.storeBytesFor(this.slots * 2) <= ctx.maxStoreBytes) this.slots *= 2;
    let most = this.slots;
    while (grownSlots(most) < 2 ** 30 && this.storeBytesFor(grownSlots(most)) <= ctx.maxStoreBytes) most = grownSlots(most);
    ({ sab: this.tableSab, capacity: this.capacity } = reserveTable(most, this.slots));
    this.table = new Uint32Array(this.tableSab);
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    // one slot per worker, and one for the coordinator's own engine
    this.stats = new Float64Array(new SharedArrayBuffer((nWorkers + 1) * STAT_WORDS * 8));
    this.links = { parent: (id) => this.store.parent(id), action: (id) => this.store.action(id) };

    const chunk = Math.max(1, Math.floor(Number(process.env.DAXCHECK_PARALLEL_CHUNK ?? DEFAULT_CHUNK)) || DEFAULT_CHUNK);
    this.arenaSlack = (nWorkers + 1) * ENTRY_BLOCK;
    // Room for every claim's worst case keeps claims whole between growths; under a tight memory limit it takes at most a sixteenth of it.
    const worstClaims = (nWorkers + 1) * chunk * Math.max(1, this.nInst);
    this.arenaMargin = Math.min(worstClaims, Math.floor(ctx.maxStoreBytes / 16 / (this.EW * 4))) + this.arenaSlack;
    this.growArena(this.arenaMargin + this.arenaSlack);
    this.setLimits();
    const liveness = ctx.selected.liveness ?? [];
    this.graph = liveness.length > 0 ? new StateGraph(liveness, this.nInst) : undefined;
    const options = {
      maxDepth: ctx.maxDepth, checkDeadlock: ctx.checkDeadlock, continueAll: ctx.continueAll, properties: ctx.opts.properties, avoidActions: ctx.opts.avoidActions, symmetry: ctx.opts.symmetry === true, chunk,
      ...(this.graph ? { recordEdges: true } : {}),
    };
    const control = this.control.buffer as SharedArrayBuffer;
    const stats = this.stats.buffer as SharedArrayBuffer;
    const entry = workerEntry();
    const signature = modelSignature(cm);
    for (let index = 0; index < nWorkers; index++) {
      const { port1, port2 } = new MessageChannel();
      const data: WorkerData = { index, workers: nWorkers, source, design: cm.design, constants: cm.constants, signature, options, control, stats, port: port2 };
      const t = new Worker(entry, { workerData: data, transferList: [port2] });
      t.on('error', () => { /* reported through the port; this keeps a late event from throwing */ });
      t.unref();
      port1.unref();
      this.ports.push(port1);
      this.threads.push(t);
    }
    this.ready = new Array(nWorkers).fill(false);
    // Workers take a while to start (load and compile the model, warm up);
    // until they are ready, and for small levels, the coordinator expands
    // levels itself with the same engine, so small models cost no more than
    // one thread and nobody waits for the threads to start.
    this.localEngine = new Engine(cm, { index: nWorkers, workers: 1, options, control, stats });
    this.localStates = Math.max(0, Number(process.env.DAXCHECK_PARALLEL_LOCAL_STATES ?? LOCAL_STATES) || 0);
    this.localWhileStarting = this.localStates > 0 ? Math.max(this.localStates, LOCAL_STATES_WHILE_STARTING) : 0;
  }

  get storeBytes(): number { return tableBytes(this.slots) + this.store.bytes + this.arenaBytes + (this.graph?.bytes ?? 0); }

  private get arenaBytes(): number { return this.arena.length * this.arena[0]!.byteLength; }

  /** The memory a table of `slots` slots commits the store to: the table, and links for as many states as it may hold. */
  private storeBytesFor(slots: number): number { return tableBytes(slots) + this.store.bytesFor(Math.ceil(slots * HARD_LOAD)); }

  addInitial(words: Uint32Array, init: number): number {
    fingerprint(words, 0, this.W);
    const lo = nonZero(FP[0]!);
    const hi = tableHi(FP[1]!);
    if (this.count + 1 > this.slots * HARD_LOAD) this.grow(1, true);
    if (!insertFinal(this.table, this.slots, lo, hi)) return -1;
    const id = this.count++;
    Atomics.store(this.control, C_COUNT, this.count);
    this.store.add(id, NO_PARENT, init);
    for (let w = 0; w < this.W; w++) this.initialWords!.push(words[w]!);
    this.representedStates += this.ctx.core.orbitSize(words, 0);
    if (this.graph) {
      this.graph.stored(lo, nonZero(FP[1]!), id); // the edge logs' form of the fingerprint (level-edges.ts)
      this.ctx.core.loadNext(words, 0);
      this.graph.label(id, this.ctx.core.nextView);
    }
    return id;
  }

  expandLevel(req: LevelRequest): LevelOutcome {
    const { control, nWorkers, nInst } = this;
    this.depth = req.depth;
    this.levelSize = req.size;
    if (this.initialWords) {
      this.frontierSab = new SharedArrayBuffer(this.initialWords.length * 4);
      new Uint32Array(this.frontierSab).set(this.initialWords);
      this.initialWords = undefined;
    }
    const tL = performance.now();
    this.pollReady();
    this.local = req.size < this.localStates || (!this.allReady && req.size < this.localWhileStarting);
    if (!this.local && !this.allReady) this.waitReady();
    this.levelBase = this.count;
    this.grow(nWorkers * HEADROOM_STATES * nInst, false);
    Atomics.store(control, C_CURSOR, 0);
    Atomics.store(control, C_RESERVED, 0);
    Atomics.store(control, C_GROW, 0);
    Atomics.store(control, C_ENTRY, 0);
    this.dispatch({
      type: 'level', frontier: this.frontierSab, size: req.size, levelStart: req.levelStart, depth: req.depth,
      table: this.tableSab, slots: this.slots, arena: this.arenaSabs,
      invOpen: req.invOpen, apOpen: req.apOpen, goalOpen: req.goalOpen, deadlockOpen: req.deadlockOpen,
    });
    let fullReason: string | undefined;
    for (;;) {
      if (Atomics.load(control, C_STOP) !== 0) break;
      if (Atomics.load(control, C_GROW) === 0) break; // the level is done
      try {
        this.grow(nWorkers * nInst, true);
      } catch (e) {
        if (!(e instanceof StoreFullError)) throw e;
        fullReason = e.message;
        Atomics.store(control, C_STOP, 2);
        break;
      }
      Atomics.store(control, C_GROW, 0);
      this.dispatch({ type: 'resume', slots: this.slots, arena: this.arenaSabs });
    }
    const tA = performance.now();
    const reports = this.dispatch({ type: 'finalize', settleStart: 0, settleEnd: Atomics.load(control, C_ENTRY) });
    const tB = performance.now();
    const unexpanded = req.size - Math.min(req.size, Atomics.load(control, C_CURSOR));
    const { newStates, buckets } = this.absorb(reports, req);
    if (this.graph) {
      addLevelToGraph(this.graph, this.ctx.core, reports.map((r) => r.edges!), req.levelStart, req.levelStart + req.size, newStates, new Uint32Array(this.frontierSab));
    }
    if (process.env.DAXCHECK_PAR_DEBUG) {
      process.stderr.write(`level ${req.depth} size ${req.size} new ${newStates} expand ${(tA - tL).toFixed(1)} finalize ${(tB - tA).toFixed(1)} absorb ${(performance.now() - tB).toFixed(1)} ms slots ${this.slots}${this.local ? ' (coordinator)' : ''}\n`);
    }
    Atomics.store(control, C_STOP, 0);
    const minOver = (pick: (r: LevelReport) => number) => {
      let best = -1;
      for (const r of reports) { const p = pick(r); if (p >= 0 && (best < 0 || p < best)) best = p; }
      return best;
    };
    const sum = (pick: (r: LevelReport) => ArrayLike<number>, n: number) => {
      const out = new Float64Array(n);
      for (const r of reports) { const v = pick(r); for (let i = 0; i < n; i++) out[i]! += v[i]!; }
      return out;
    };
    let generated = 0;
    for (const r of reports) generated += r.generated;
    this.generatedSoFar += generated;
    return {
      newStates, unexpanded, buckets, generated,
      generatedBy: sum((r) => r.generatedBy, nInst),
      enabledStates: sum((r) => r.enabledStates, this.ctx.cm.actionNames.length),
      cutByDepth: reports.some((r) => r.cutByDepth),
      cutByConstraint: reports.some((r) => r.cutByConstraint),
      invMin: req.invOpen.map((_, k) => minOver((r) => r.invMin[k]!)),
      apMin: req.apOpen.map((_, k) => minOver((r) => r.apMin[k]!)),
      goalMin: req.goalOpen.map((_, k) => minOver((r) => r.goalMin[k]!)),
      deadlockMin: minOver((r) => r.deadlockMin),
      ...(fullReason !== undefined ? { fullReason } : {}),
    };
  }

  /** Even when the coordinator did all the work, a worker that cannot load or compile the model is an error: the outcome must not depend on timing. */
  done(): void {
    this.waitReady();
  }

  close(): void {
    Atomics.store(this.control, C_STOP, 2); // after an error, workers still expanding stop at their next chunk
    for (let w = 0; w < this.nWorkers; w++) {
      try { this.ports[w]!.postMessage({ type: 'close' } satisfies Command); } catch { /* already gone */ }
      this.ports[w]!.close();
      void this.threads[w]!.terminate().catch(() => undefined);
    }
  }

  // ---- talking to the workers ------------------------------------------------

  /** The bounds the engines claim work against: the table's load, and the arena's room for this level's new states. */
  private setLimits(): void {
    const room = this.levelBase + (this.arena.length << SEGMENT_BITS);
    Atomics.store(this.control, C_LIMIT, Math.min(Math.floor(this.slots * GROW_LOAD), room - this.arenaMargin));
    Atomics.store(this.control, C_HARD, Math.min(Math.floor(this.slots * HARD_LOAD), room - this.arenaSlack));
  }

  /** Adds arena segments until the arena holds `entries`. */
  private growArena(entries: number): void {
    const words = (1 << SEGMENT_BITS) * this.EW;
    while (this.arena.length << SEGMENT_BITS < entries) {
      const sab = new SharedArrayBuffer(words * 4);
      this.arenaSabs.push(sab);
      this.arena.push(new Uint32Array(sab));
    }
  }

  private sendAll(cmd: (w: number) => Command): void {
    for (let w = 0; w < this.nWorkers; w++) this.ports[w]!.postMessage(cmd(w));
  }

  private tick(): void {
    const { control, stats } = this;
    const count = Atomics.load(control, C_COUNT);
    let gen = this.generatedSoFar;
    for (let w = 0; w <= this.nWorkers; w++) gen += stats[w * STAT_WORDS]!;
    const cursor = Math.min(this.levelSize, Atomics.load(control, C_CURSOR));
    if (this.ctx.tick(count, gen, this.levelSize - cursor, this.depth, this.storeBytes + this.frontierSab.byteLength)) Atomics.store(control, C_STOP, 2);
  }

  /** The next reply of worker w, if one has arrived; a worker's failure is rethrown here. */
  private receive(w: number): Reply | undefined {
    const m = receiveMessageOnPort(this.ports[w]!);
    if (!m) return undefined;
    const r = m.message as Reply;
    if (r.type === 'error') {
      if (r.schema) throw new SchemaViolation(r.schema.action, r.schema.variable, r.schema.value, r.schema.accepted, r.schema.origin);
      const e = new Error(`parallel search, worker ${w}: ${r.message}`);
      if (r.stack) e.stack = `${e.message}\n(worker stack) ${r.stack}`;
      throw e;
    }
    return r;
  }

  /** Waits for one reply from every worker. */
  private collect<T extends Reply['type']>(type: T): Extract<Reply, { type: T }>[] {
    const got: (Reply | undefined)[] = new Array(this.nWorkers).fill(undefined);
    let n = 0;
    for (;;) {
      const seen = Atomics.load(this.control, C_SIGNAL);
      for (let w = 0; w < this.nWorkers; w++) {
        if (got[w]) continue;
        const r = this.receive(w);
        if (!r) continue;
        if (r.type !== type) throw new Error(`parallel search: worker ${w} replied ${r.type}, expected ${type}`);
        got[w] = r;
        n++;
      }
      this.tick();
      if (n === this.nWorkers) return got as Extract<Reply, { type: T }>[];
      Atomics.wait(this.control, C_SIGNAL, seen, WAIT_MS);
    }
  }

  private pollReady(): void {
    for (let w = 0; w < this.nWorkers; w++) {
      if (this.ready[w]) continue;
      const r = this.receive(w);
      if (r && r.type !== 'ready') throw new Error(`parallel search: worker ${w} replied ${r.type} before it was ready`);
      if (r) {
        this.ready[w] = true;
        if (process.env.DAXCHECK_PAR_DEBUG) process.stderr.write(`worker ${w} ready at ${(performance.now() - this.ctx.started).toFixed(0)} ms\n`);
      }
    }
    this.allReady = this.ready.every(Boolean);
  }

  private waitReady(): void {
    for (;;) {
      const seen = Atomics.load(this.control, C_SIGNAL);
      this.pollReady();
      this.tick();
      if (this.allReady) return;
      Atomics.wait(this.control, C_SIGNAL, seen, WAIT_MS);
    }
  }

  /** Sends a command to the engines expanding this level and waits until they reply. */
  private dispatch(cmd: Extract<Command, { type: 'level' | 'resume' }>): void;
  private dispatch(cmd: Extract<Command, { type: 'finalize' }>): LevelReport[];
  private dispatch(cmd: Extract<Command, { type: 'level' | 'resume' | 'finalize' }>): LevelReport[] | void {
    if (this.local) {
      const r = this.localEngine.handle(cmd);
      return r.type === 'finalized' ? [r] : undefined;
    }
    if (cmd.type === 'finalize') {
      const part = Math.ceil(cmd.settleEnd / this.nWorkers);
      this.sendAll((w) => ({ type: 'finalize', settleStart: Math.min(cmd.settleEnd, w * part), settleEnd: Math.min(cmd.settleEnd, (w + 1) * part) }));
      return this.collect('finalized');
    }
    this.sendAll(() => cmd);
    this.collect('paused');
  }

  /**
   * Grows the table until it is at most GROW_LOAD full and leaves room for
   * `headroom` insertions, and the arena until it holds them and its margin;
   * workers are paused.
   */
  private grow(headroom: number, mustFit: boolean): void {
    const count = Atomics.load(this.control, C_COUNT);
    this.growArena(count - this.levelBase + headroom + 2 * this.arenaMargin);
    let to = this.slots;
    while (count > to * GROW_LOAD || count + headroom > to * HARD_LOAD) to = grownSlots(to);
    if (to !== this.slots) {
      const maxBytes = this.ctx.maxStoreBytes;
      if (to > this.capacity || this.storeBytesFor(to) > maxBytes) {
        if (mustFit || count > this.slots * GROW_LOAD) {
          const have = this.storeBytesFor(this.slots);
          throw new StoreFullError(
            `fingerprint store full: ${count.toLocaleString('en-US')} states use ${(have / 2 ** 20).toFixed(0)} MiB ` +
            `and growing needs ${((this.storeBytesFor(to) - have) / 2 ** 20).toFixed(0)} MiB more, over the limit of ${(maxBytes / 2 ** 20).toFixed(0)} MiB (--max-memory)`);
        }
      } else {
        growInPlace(this.table, this.slots, to);
        this.slots = to;
      }
    }
    this.setLimits();
  }

  /** Numbers the new level canonically, by parent id, then instance, from the arena; fills the links and the next frontier. */
  private absorb(reports: readonly LevelReport[], req: LevelRequest): { newStates: number; buckets: Uint32Array } {
    const { W, EW, arena } = this;
    const segMask = (1 << SEGMENT_BITS) - 1;
    const base = req.levelStart;
    const prevN = req.size;
    const newStart = base + prevN;
    const used = Atomics.load(this.control, C_ENTRY);
    let newN = 0;
    for (const r of reports) newN += r.count;
    if (this.bucketsBuf.length < prevN + 1) { this.bucketsBuf = new Uint32Array(Math.ceil((prevN + 1) * 1.25)); this.fillBuf = new Uint32Array(this.bucketsBuf.length); }
    const buckets = this.bucketsBuf.subarray(0, prevN + 1);
    buckets.fill(0);
    for (let e = 0; e < used; e++) {
      const seg = arena[e >>> SEGMENT_BITS]!;
      const at = (e & segMask) * EW;
      if (seg[at + 1] === 0) continue; // an entry never used
      const x = seg[at + 2]! - 1 - base;
      if (x < 0 || x >= prevN) throw new Error(`parallel search: a new state's parent ${x + base} is not in the level`);
      buckets[x + 1]!++;
    }
    for (let x = 1; x <= prevN; x++) buckets[x]! += buckets[x - 1]!;
    if (buckets[prevN] !== newN) throw new Error(`parallel search: the arena holds ${buckets[prevN]} new states, the engines stored ${newN}`);
    const fill = this.fillBuf;
    fill.set(buckets.subarray(0, prevN));
    if (this.spareFrontier.byteLength < newN * W * 4) this.spareFrontier = new SharedArrayBuffer(Math.ceil(newN * 1.25) * W * 4);
    const nextSab = this.spareFrontier;
    const f = new Uint32Array(nextSab);
    if (this.instsBuf.length < newN) this.instsBuf = new Uint32Array(Math.ceil(newN * 1.25));
    const insts = this.instsBuf;
    for (let e = 0; e < used; e++) {
      const seg = arena[e >>> SEGMENT_BITS]!;
      const at = (e & segMask) * EW;
      if (seg[at + 1] === 0) continue;
      const p = fill[seg[at + 2]! - 1 - base]!++;
      for (let k = 0; k < W; k++) f[p * W + k] = seg[at + ENTRY_HEAD + k]!;
      insts[p] = seg[at + 3]!;
      seg[at + 1] = 0; // free for the next level: a reader that sees 0 waits for the writer
      seg[at + 2] = 0;
    }
    // Within one parent, by instance (insertion sort: a parent has few new successors).
    const tmp = new Uint32Array(W);
    for (let x = 0; x < prevN; x++) {
      const lo = buckets[x]!;
      const hi = buckets[x + 1]!;
      for (let p = lo + 1; p < hi; p++) {
        const inst = insts[p]!;
        for (let k = 0; k < W; k++) tmp[k] = f[p * W + k]!;
        let q = p;
        while (q > lo && insts[q - 1]! > inst) {
          insts[q] = insts[q - 1]!;
          for (let k = 0; k < W; k++) f[q * W + k] = f[(q - 1) * W + k]!;
          q--;
        }
        insts[q] = inst;
        for (let k = 0; k < W; k++) f[q * W + k] = tmp[k]!;
      }
      for (let p = lo; p < hi; p++) this.store.add(newStart + p, base + x, insts[p]!);
    }
    this.spareFrontier = this.frontierSab;
    this.frontierSab = nextSab;
    this.count = newStart + newN;
    if (this.ctx.core.symmetry) for (let p = 0; p < newN; p++) this.representedStates += this.ctx.core.orbitSize(f, p * W);
    return { newStates: newN, buckets };
  }
}
