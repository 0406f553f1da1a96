// Parallel breadth-first search: `check(cm, { workers: N })` with N > 1.
//
// Level-synchronous. The coordinator (the calling thread) holds the current
// level, bit-packed, in a SharedArrayBuffer; N worker threads claim chunks of
// it from a shared cursor, expand them exactly as the sequential engine does,
// and insert successors into one shared fingerprint table (protocol.ts,
// shared-table.ts). At the end of a level each worker hands back the new
// states it stored; the coordinator numbers them in *canonical* order — by
// (parent id, action instance) of their first discovery in the sequential
// engine's order, which the table's keys record — so state ids, parent links,
// traces, coverage and the choice among simultaneous violations are the
// sequential engine's, whatever the interleaving of the workers.
//
// The coordinator is synchronous (check() stays synchronous): it blocks on
// Atomics.wait over a shared signal word and reads worker replies with
// receiveMessageOnPort. It wakes at least every 200 ms to print progress and
// enforce the time limit. DAXCHECK_PAR_DEBUG=1 prints per-level timings.
//
// Growth: a worker reserves room for the worst case (every successor new)
// before it claims a chunk, so the table can never overfill; when the load
// passes GROW_LOAD, or a claim does not fit, it sets C_GROW and pauses. Once
// every worker has paused at a chunk boundary, the coordinator doubles the
// table (the workers rehash it, a range each) and resumes the level where the
// cursor stands. A table the memory limit does not allow is a StoreFullError:
// the result is incomplete, and no state is ever dropped silently.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ActionInstance, CompiledModel } from '../compile.js';
import { describeDomain } from '../domain.js';
import { SchemaViolation, StoreFullError, UsageError } from '../errors.js';
import { FP, fingerprint } from '../fingerprint.js';
import { makePacker } from '../packer.js';
import type { CheckResult } from '../result.js';
import { assembleResult, DEFAULT_STORE_BYTES, selectProperties, type SearchOptions } from '../search.js';
import { NO_PARENT } from '../store.js';
import {
  C_COUNT, C_CURSOR, C_GROW, C_HARD, C_LIMIT, C_RESERVED, C_SIGNAL, C_STOP, CONTROL_WORDS, GROW_LOAD, HARD_LOAD, LINK_BYTES,
  SLOT_WORDS, STAT_WORDS, modelSignature, type Command, type LevelReport, type Reply, type WorkerData,
} from './protocol.js';
import { allocTable, insert, insertDeferred, nonZero, rehashRange } from './shared-table.js';
import { Engine } from './worker-engine.js';

const WAIT_MS = 200;
/** Most states a worker claims at once (fewer near the end of a level, and when the table is nearly full). */
const DEFAULT_CHUNK = 1024;
/** Below this many slots the coordinator rehashes a growing table itself. */
const PARALLEL_REHASH_SLOTS = 1 << 18;
/** The coordinator grows the table before a level so each worker can claim chunks of at least this many states. */
const HEADROOM_STATES = 64;
/** Levels smaller than this the coordinator expands itself (DAXCHECK_PARALLEL_LOCAL_STATES; 0: never). */
const LOCAL_STATES = 1024;
/** ... and, while the workers are still starting, levels smaller than this. */
const LOCAL_STATES_WHILE_STARTING = 1 << 16;

/** Where worker threads start: dist/checker/parallel/worker.js, also when this module runs from TypeScript sources (vitest). */
export function workerEntry(): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/checker/parallel/worker.js', here) : new URL('./worker.js', here);
  if (!existsSync(url)) throw new Error(`--workers: the worker entry ${fileURLToPath(url)} is missing; build with: npx tsc -p .`);
  return url;
}

const tableBytes = (cap: number) => cap * SLOT_WORDS * 4;
/** The memory a table of `cap` slots commits the store to: the table, and links for as many states as it may hold. */
const storeBytesFor = (cap: number) => tableBytes(cap) + Math.ceil(cap * HARD_LOAD) * LINK_BYTES;

export function checkParallel(cm: CompiledModel, opts: SearchOptions): CheckResult {
  const started = performance.now();
  const nWorkers = opts.workers ?? 2;
  if (!Number.isInteger(nWorkers) || nWorkers < 1) throw new UsageError(`--workers takes a whole number of at least 1, got ${nWorkers}`);
  const { layout } = cm;
  const maxDepth = opts.maxDepth ?? Infinity;
  const deadline = opts.maxSeconds !== undefined ? started + opts.maxSeconds * 1000 : Infinity;
  const checkDeadlock = opts.checkDeadlock ?? cm.checkDeadlock;
  const continueAll = opts.continueAfterViolation ?? false;
  const progressMs = (opts.progressEverySeconds ?? 5) * 1000;
  const maxBytes = opts.maxStoreBytes ?? DEFAULT_STORE_BYTES;

  const selected = selectProperties(cm, opts.properties);
  const { invariants, actionProperties: actionProps, goals } = selected;

  const packer = makePacker(layout);
  const W = packer.words;
  const EW = W + 2;
  const instances = cm.instances;
  const nInst = instances.length;
  const stride = nInst + 1;
  if (stride >= 2 ** 20) throw new UsageError(`--workers: ${nInst} action instances are more than the parallel engine numbers (2^20)`);

  // ---- shared state ---------------------------------------------------------
  let cap = 16;
  while (cap < 1 << 16 && storeBytesFor(cap * 2) <= maxBytes) cap <<= 1;
  let tableSab = allocTable(cap);
  let table = new Uint32Array(tableSab);
  let mask = cap - 1;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  // one slot per worker, and one for the coordinator's own engine
  const stats = new Float64Array(new SharedArrayBuffer((nWorkers + 1) * STAT_WORDS * 8));
  const setLimits = () => {
    Atomics.store(control, C_LIMIT, Math.floor(cap * GROW_LOAD));
    Atomics.store(control, C_HARD, Math.floor(cap * HARD_LOAD));
  };
  setLimits();

  let parents = new Uint32Array(1024);
  let actions = new Uint32Array(1024);
  const ensureLinks = (n: number) => {
    if (n <= parents.length) return;
    let len = parents.length;
    while (len < n) len *= 2;
    const grow = (a: Uint32Array) => { const b = new Uint32Array(len); b.set(a); return b; };
    parents = grow(parents);
    actions = grow(actions);
  };

  // ---- results, by sequential state id ------------------------------------
  const invFailedAt = new Int32Array(invariants.length).fill(-1);
  const apFailedAt = new Int32Array(actionProps.length).fill(-1);
  const apFailedBy = new Int32Array(actionProps.length).fill(-1);
  const goalAt = new Int32Array(goals.length).fill(-1);
  let deadlockAt = -1;
  let stop = false;
  const generatedBy = new Float64Array(nInst);
  const distinctBy = new Float64Array(nInst);
  const enabledStates = new Float64Array(cm.actionNames.length);
  const actionOf = Int32Array.from(instances.map((i) => i.action));
  let generated = 0;
  let initGenerated = 0;
  let maxSeenDepth = 0;
  let cutByDepth = false;
  let cutByConstraint = false;
  let incompleteReason: string | undefined;
  let queueLeft = 0;
  let peakRss = process.memoryUsage.rss();
  let lastProgress = started;
  let lastRss = started;
  let timeUp = false;
  /** At a stop on a violation: the sequential engine's store size there (the workers may have gone further). */
  let distinctAtStop = -1;

  // the level being explored
  let levelStart = 0;
  let size = 0;
  let depth = 0;
  let frontierSab = new SharedArrayBuffer(0);

  // ---- workers ----------------------------------------------------------------
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  const entry = workerEntry();
  const signature = modelSignature(cm);
  const source = opts.modelSource ?? { kind: 'registry' as const, name: cm.model };
  const chunk = Math.max(1, Math.floor(Number(process.env.DAXCHECK_PARALLEL_CHUNK ?? DEFAULT_CHUNK)) || DEFAULT_CHUNK);
  const options = { maxDepth, checkDeadlock, continueAll, properties: opts.properties, chunk };
  for (let index = 0; index < nWorkers; index++) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = {
      index, workers: nWorkers, source, design: cm.design, constants: cm.constants, signature, options,
      control: control.buffer as SharedArrayBuffer, stats: stats.buffer as SharedArrayBuffer, port: port2,
    };
    const t = new Worker(entry, { workerData: data, transferList: [port2] });
    t.on('error', () => { /* reported through the port; this keeps a late event from throwing */ });
    t.unref();
    port1.unref();
    ports.push(port1);
    threads.push(t);
  }
  const send = (w: number, cmd: Command) => ports[w]!.postMessage(cmd);
  const sendAll = (cmd: (w: number) => Command) => { for (let w = 0; w < nWorkers; w++) send(w, cmd(w)); };

  const tick = () => {
    const now = performance.now();
    if (now >= deadline && !timeUp) {
      timeUp = true;
      Atomics.store(control, C_STOP, 2);
    }
    if (now - lastRss >= 1000) { lastRss = now; peakRss = Math.max(peakRss, process.memoryUsage.rss()); }
    if (now - lastProgress >= progressMs) {
      lastProgress = now;
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      const count = Atomics.load(control, C_COUNT);
      let gen = initGenerated;
      for (let w = 0; w <= nWorkers; w++) gen += stats[w * STAT_WORDS]!;
      const cursor = Math.min(size, Atomics.load(control, C_CURSOR));
      opts.onProgress?.({
        seconds: (now - started) / 1000, distinctStates: count, statesGenerated: gen,
        queue: size - cursor + Math.max(0, count - levelStart - size), depth, rssBytes: rss,
      });
    }
  };

  /** The next reply of worker w, if one has arrived; a worker's failure is rethrown here. */
  const receive = (w: number): Reply | undefined => {
    const m = receiveMessageOnPort(ports[w]!);
    if (!m) return undefined;
    const r = m.message as Reply;
    if (r.type === 'error') {
      if (r.schema) throw new SchemaViolation(r.schema.action, r.schema.variable, r.schema.value, r.schema.accepted);
      const e = new Error(`parallel search, worker ${w}: ${r.message}`);
      if (r.stack) e.stack = `${e.message}\n(worker stack) ${r.stack}`;
      throw e;
    }
    return r;
  };

  /** Waits for one reply from every worker. */
  const collect = <T extends Reply['type']>(type: T): Extract<Reply, { type: T }>[] => {
    const got: (Reply | undefined)[] = new Array(nWorkers).fill(undefined);
    let n = 0;
    for (;;) {
      const seen = Atomics.load(control, C_SIGNAL);
      for (let w = 0; w < nWorkers; w++) {
        if (got[w]) continue;
        const r = receive(w);
        if (!r) continue;
        if (r.type !== type) throw new Error(`parallel search: worker ${w} replied ${r.type}, expected ${type}`);
        got[w] = r;
        n++;
      }
      tick();
      if (n === nWorkers) return got as Extract<Reply, { type: T }>[];
      Atomics.wait(control, C_SIGNAL, seen, WAIT_MS);
    }
  };

  // Workers take a while to start (load and compile the model, warm up);
  // until they are ready, and for small levels, the coordinator expands
  // levels itself with the same engine, so small models cost no more than
  // the sequential engine and nobody waits for the threads to start.
  const ready: boolean[] = new Array(nWorkers).fill(false);
  let allReady = false;
  const pollReady = () => {
    for (let w = 0; w < nWorkers; w++) {
      if (ready[w]) continue;
      const r = receive(w);
      if (r && r.type !== 'ready') throw new Error(`parallel search: worker ${w} replied ${r.type} before it was ready`);
      if (r) {
        ready[w] = true;
        if (process.env.DAXCHECK_PAR_DEBUG) process.stderr.write(`worker ${w} ready at ${(performance.now() - started).toFixed(0)} ms\n`);
      }
    }
    allReady = ready.every(Boolean);
  };
  const waitReady = () => {
    for (;;) {
      const seen = Atomics.load(control, C_SIGNAL);
      pollReady();
      tick();
      if (allReady) return;
      Atomics.wait(control, C_SIGNAL, seen, WAIT_MS);
    }
  };
  const localEngine = new Engine(cm, { index: nWorkers, workers: 1, options, control: control.buffer as SharedArrayBuffer, stats: stats.buffer as SharedArrayBuffer });
  const localStates = Math.max(0, Number(process.env.DAXCHECK_PARALLEL_LOCAL_STATES ?? LOCAL_STATES) || 0);
  const localWhileStarting = localStates > 0 ? Math.max(localStates, LOCAL_STATES_WHILE_STARTING) : 0;
  let local = false;
  /** Sends a command to the engines expanding this level and waits until they reply. */
  function dispatch(cmd: Extract<Command, { type: 'level' | 'resume' }>): void;
  function dispatch(cmd: Extract<Command, { type: 'finalize' }>): LevelReport[];
  function dispatch(cmd: Extract<Command, { type: 'level' | 'resume' | 'finalize' }>): LevelReport[] | void {
    if (local) {
      const r = localEngine.handle(cmd);
      return r.type === 'finalized' ? [r] : undefined;
    }
    sendAll(() => cmd);
    if (cmd.type === 'finalize') return collect('finalized');
    collect('paused');
  }

  /** Grows the table until it is at most GROW_LOAD full and leaves room for `headroom` insertions; workers are paused. */
  const grow = (headroom: number, mustFit: boolean): void => {
    const count = Atomics.load(control, C_COUNT);
    let newCap = cap;
    while (count > newCap * GROW_LOAD || count + headroom > newCap * HARD_LOAD) newCap *= 2;
    if (newCap === cap) return;
    if (storeBytesFor(newCap) > maxBytes) {
      if (!mustFit && count <= cap * GROW_LOAD) return;
      const have = storeBytesFor(cap);
      throw new StoreFullError(
        `fingerprint store full: ${count.toLocaleString('en-US')} states use ${(have / 2 ** 20).toFixed(0)} MiB ` +
        `and growing needs ${((storeBytesFor(newCap) - have) / 2 ** 20).toFixed(0)} MiB more, over the limit of ${(maxBytes / 2 ** 20).toFixed(0)} MiB (--max-memory)`);
    }
    const next = allocTable(newCap);
    const to = new Uint32Array(next);
    if (!local && allReady && cap >= PARALLEL_REHASH_SLOTS) {
      const part = Math.ceil(cap / nWorkers);
      sendAll((w) => ({ type: 'rehash', from: tableSab, to: next, start: Math.min(cap, w * part), end: Math.min(cap, (w + 1) * part) }));
      for (const r of collect('rehashed')) insertDeferred(to, r.deferred);
    } else {
      insertDeferred(to, rehashRange(table, to, 0, cap));
    }
    tableSab = next;
    table = to;
    cap = newCap;
    mask = cap - 1;
    setLimits();
  };

  let levelBuckets = new Uint32Array(0);
  let newStart = 0;
  /** The id the new level gave the state first reached by instance `inst` from the state with id `rank`. */
  const idOf = (rank: number, inst: number): number => {
    const x = rank - levelStart;
    for (let p = levelBuckets[x]!; p < levelBuckets[x + 1]!; p++) if (actions[newStart + p] === inst) return newStart + p;
    throw new Error(`parallel search: no new state has key (${rank}, ${inst})`);
  };
  /** The smallest instance >= i by which the state `rank` reached a new state in this level, or -1. */
  const firstNewFrom = (rank: number, i: number): number => {
    const x = rank - levelStart;
    for (let p = levelBuckets[x]!; p < levelBuckets[x + 1]!; p++) if (actions[newStart + p]! >= i) return actions[newStart + p]!;
    return -1;
  };

  try {
    try {
      // ---- initial states: the sequential engine's code, on the coordinator ----
      const next = layout.blank();
      const nextView = layout.view(next);
      const packed = new Uint32Array(W);
      const initWords: number[] = [];
      let count = 0;
      const violated = () => { if (!continueAll) stop = true; };
      cm.inits.forEach((init: ActionInstance, k) => {
        next.set(layout.lo);
        if (init.effect(nextView, init.params) === false) return;
        const bad = packer.pack(next, packed, 0);
        if (bad >= 0) throw new SchemaViolation(cm.label(init), layout.slotNames[bad]!, next[bad]!, describeDomain(layout.slotDomains[bad]!));
        initGenerated++;
        fingerprint(packed, 0, W);
        if (count + 1 > cap * HARD_LOAD) grow(1, true);
        if (!insert(table, mask, nonZero(FP[0]!), nonZero(FP[1]!), 0, k)) return;
        const id = count++;
        Atomics.store(control, C_COUNT, count);
        ensureLinks(count);
        parents[id] = NO_PARENT;
        actions[id] = k;
        for (let j = 0; j < invariants.length; j++) {
          if (invFailedAt[j] === -1 && !invariants[j]!.def.holds(nextView as never)) { invFailedAt[j] = id; violated(); }
        }
        for (let j = 0; j < goals.length; j++) {
          if (goalAt[j] === -1 && goals[j]!.def.reached(nextView as never)) goalAt[j] = id;
        }
        for (let w = 0; w < W; w++) initWords.push(packed[w]!);
      });
      if (count === 0) throw new Error(`model ${cm.model}: no initial state (every Init instance refused)`);
      generated = initGenerated;
      size = count;
      frontierSab = new SharedArrayBuffer(size * W * 4);
      new Uint32Array(frontierSab).set(initWords);
      queueLeft = size;

      // ---- levels ----------------------------------------------------------
      while (size > 0 && !stop && incompleteReason === undefined) {
        maxSeenDepth = depth;
        const tL = performance.now();
        pollReady();
        local = size < localStates || (!allReady && size < localWhileStarting);
        if (!local && !allReady) waitReady();
        grow(nWorkers * HEADROOM_STATES * nInst, false);
        Atomics.store(control, C_CURSOR, 0);
        Atomics.store(control, C_RESERVED, 0);
        Atomics.store(control, C_GROW, 0);
        const open = <T>(a: ArrayLike<T>, none: T) => Array.from(a, (x) => x === none);
        dispatch({
          type: 'level', frontier: frontierSab, size, levelStart, depth, table: tableSab,
          invOpen: open(invFailedAt, -1), apOpen: open(apFailedAt, -1), goalOpen: open(goalAt, -1), deadlockOpen: deadlockAt === -1,
        });
        let fullReason: string | undefined;
        for (;;) {
          if (Atomics.load(control, C_STOP) !== 0) break;
          if (Atomics.load(control, C_GROW) === 0) break; // the level is done
          try {
            grow(nWorkers * nInst, true);
          } catch (e) {
            if (!(e instanceof StoreFullError)) throw e;
            fullReason = e.message;
            Atomics.store(control, C_STOP, 2);
            break;
          }
          Atomics.store(control, C_GROW, 0);
          dispatch({ type: 'resume', table: tableSab });
        }
        const tA = performance.now();
        const reports = dispatch({ type: 'finalize' });
        const tB = performance.now();
        const unexpanded = size - Math.min(size, Atomics.load(control, C_CURSOR));
        const newN = absorb(reports);
        const atStop = findings(reports);
        const tC = performance.now();
        if (process.env.DAXCHECK_PAR_DEBUG) process.stderr.write(`level ${depth} size ${size} new ${newN} expand ${(tA - tL).toFixed(1)} finalize ${(tB - tA).toFixed(1)} absorb ${(tC - tB).toFixed(1)} ms cap ${cap}${local ? ' (coordinator)' : ''}\n`);
        queueLeft = unexpanded + newN;
        if (atStop) { queueLeft = atStop.queue; distinctAtStop = atStop.distinct; }
        if (fullReason !== undefined) incompleteReason = fullReason;
        else if (timeUp && queueLeft > 0) incompleteReason = `time limit of ${opts.maxSeconds} s reached`;
        levelStart = newStart;
        size = newN;
        depth++;
        Atomics.store(control, C_STOP, 0);
      }
    } catch (e) {
      if (!(e instanceof StoreFullError)) throw e;
      incompleteReason = e.message;
    }
    // Even when the coordinator did all the work, a worker that cannot load
    // or compile the model is an error: the outcome must not depend on timing.
    waitReady();
  } finally {
    Atomics.store(control, C_STOP, 2); // after an error, workers still expanding stop at their next chunk
    for (let w = 0; w < nWorkers; w++) {
      try { send(w, { type: 'close' }); } catch { /* already gone */ }
      ports[w]!.close();
      void threads[w]!.terminate().catch(() => undefined);
    }
  }

  /** Numbers the new level canonically: by parent id, then instance; fills the links and the next frontier. */
  function absorb(reports: readonly LevelReport[]): number {
    const base = levelStart;
    const prevN = size;
    newStart = base + prevN;
    let newN = 0;
    for (const r of reports) newN += r.count;
    const buckets = new Uint32Array(prevN + 1);
    for (const r of reports) {
      const b = new Uint32Array(r.buffer);
      for (let e = 0; e < r.count; e++) {
        const x = b[e * EW + W]! - base;
        if (x < 0 || x >= prevN) throw new Error(`parallel search: a new state's parent ${b[e * EW + W]} is not in the level`);
        buckets[x + 1]!++;
      }
    }
    for (let x = 1; x <= prevN; x++) buckets[x]! += buckets[x - 1]!;
    const fill = buckets.slice(0, prevN);
    ensureLinks(newStart + newN);
    const nextSab = new SharedArrayBuffer(newN * W * 4);
    const f = new Uint32Array(nextSab);
    for (const r of reports) {
      const b = new Uint32Array(r.buffer);
      for (let e = 0; e < r.count; e++) {
        const at = e * EW;
        const rank = b[at + W]!;
        const inst = b[at + W + 1]!;
        const p = fill[rank - base]!++;
        for (let k = 0; k < W; k++) f[p * W + k] = b[at + k]!;
        parents[newStart + p] = rank;
        actions[newStart + p] = inst;
        distinctBy[inst]!++;
      }
    }
    // Within one parent, by instance (insertion sort: a parent has few new successors).
    const tmp = new Uint32Array(W);
    for (let x = 0; x < prevN; x++) {
      const lo = buckets[x]!;
      const hi = buckets[x + 1]!;
      for (let p = lo + 1; p < hi; p++) {
        const inst = actions[newStart + p]!;
        for (let k = 0; k < W; k++) tmp[k] = f[p * W + k]!;
        let q = p;
        while (q > lo && actions[newStart + q - 1]! > inst) {
          actions[newStart + q] = actions[newStart + q - 1]!;
          for (let k = 0; k < W; k++) f[q * W + k] = f[(q - 1) * W + k]!;
          q--;
        }
        actions[newStart + q] = inst;
        for (let k = 0; k < W; k++) f[q * W + k] = tmp[k]!;
      }
    }
    levelBuckets = buckets;
    frontierSab = nextSab;
    return newN;
  }

  /**
   * Merges the workers' findings of the level just explored and records them
   * as the sequential engine would have. Positions are rank * (nInst + 1) +
   * inst: an event's place in the sequential order (a deadlock comes after
   * every instance of its state). At a stop on a violation, returns the
   * sequential engine's queue length and store size at that point.
   */
  function findings(reports: readonly LevelReport[]): { queue: number; distinct: number } | undefined {
    const minOver = (pick: (r: LevelReport) => number) => {
      let best = -1;
      for (const r of reports) { const p = pick(r); if (p >= 0 && (best < 0 || p < best)) best = p; }
      return best;
    };
    for (const r of reports) {
      generated += r.generated;
      for (let i = 0; i < nInst; i++) generatedBy[i]! += r.generatedBy[i]!;
      for (let a = 0; a < enabledStates.length; a++) enabledStates[a]! += r.enabledStates[a]!;
      cutByDepth ||= r.cutByDepth;
      cutByConstraint ||= r.cutByConstraint;
    }
    const inv = invariants.map((_, k) => (invFailedAt[k] === -1 ? minOver((r) => r.invMin[k]!) : -1));
    const ap = actionProps.map((_, k) => (apFailedAt[k] === -1 ? minOver((r) => r.apMin[k]!) : -1));
    const goal = goals.map((_, k) => (goalAt[k] === -1 ? minOver((r) => r.goalMin[k]!) : -1));
    const dead = deadlockAt === -1 ? minOver((r) => r.deadlockMin) : -1;

    // Without --continue the sequential engine stops at the first violation
    // P = (s, i), after finishing instances of s up to and including the next
    // one that stores a new state; everything it met up to there is reported.
    let upTo = Infinity;
    let atStop: { queue: number; distinct: number } | undefined;
    if (!continueAll) {
      let first = -1;
      for (const p of [...inv, ...ap, dead]) if (p >= 0 && (first < 0 || p < first)) first = p;
      if (first >= 0) {
        stop = true;
        const s = Math.floor(first / stride);
        const i = first % stride;
        if (i === nInst) upTo = first;
        else {
          const j = firstNewFrom(s, i);
          upTo = s * stride + (j >= 0 ? j : nInst - 1);
        }
        // What the sequential engine holds there: the rest of this level after s,
        // and the new states stored up to and including position upTo.
        const x = s - levelStart;
        let stored = levelBuckets[x]!;
        while (stored < levelBuckets[x + 1]! && s * stride + actions[newStart + stored]! <= upTo) stored++;
        atStop = { queue: levelStart + size - 1 - s + stored, distinct: newStart + stored };
      }
    }
    const idAt = (p: number) => idOf(Math.floor(p / stride), p % stride);
    inv.forEach((p, k) => { if (p >= 0 && p <= upTo) invFailedAt[k] = idAt(p); });
    ap.forEach((p, k) => { if (p >= 0 && p <= upTo) { apFailedAt[k] = Math.floor(p / stride); apFailedBy[k] = p % stride; } });
    goal.forEach((p, k) => { if (p >= 0 && p <= upTo) goalAt[k] = idAt(p); });
    if (dead >= 0 && dead <= upTo) deadlockAt = Math.floor(dead / stride);
    return atStop;
  }

  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (!incompleteReason && !stop) {
    if (cutByDepth) incompleteReason = `depth bound ${maxDepth} cut the search`;
    else if (cutByConstraint) incompleteReason = 'the state constraint cut the search';
  }
  const stoppedEarly = stop && queueLeft > 0;
  const complete = !incompleteReason && !stoppedEarly;
  const distinct = distinctAtStop >= 0 ? distinctAtStop : Atomics.load(control, C_COUNT);
  const p = parents;
  const a = actions;
  return assembleResult(cm, selected, {
    strategy: 'bfs', complete, incompleteReason: incompleteReason ?? (stoppedEarly ? 'stopped at the first violation' : undefined),
    links: { parent: (id) => p[id]!, action: (id) => a[id]! },
    invFailedAt, apFailedAt, apFailedBy, goalAt, deadlockAt,
    distinct, generated, queueLeft, depth: maxSeenDepth, seconds,
    storeBytes: table.byteLength + parents.byteLength + actions.byteLength, peakRss,
    actionOf, generatedBy, distinctBy, enabledStates,
  });
}
