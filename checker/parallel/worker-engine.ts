// A parallel-search worker: compiles the same model as the coordinator, then
// expands chunks of the current breadth-first level that it claims from a
// shared cursor, inserting successors into the shared fingerprint table and
// writing the new ones into the level's shared arena, where the coordinator
// reads them at the end of the level. Successors come from the transition
// core (core.ts), as in every other engine; what is written here is only
// where they go: the shared table, and candidates for the canonical minimum.
// Over 300 lines because the table insert is inlined into expand(): it is the
// hot loop of every parallel run, and a call per successor costs measurably.

import { pathToFileURL } from 'node:url';
import { compile, type CompiledModel } from '../compile.js';
import type { ModelSource } from '../context.js';
import { Successors, TransitionCore } from '../core.js';
import { Coverage } from '../coverage.js';
import { SchemaViolation } from '../errors.js';
import { FP, fingerprint } from '../fingerprint.js';
import { RecentFingerprints } from '../recent.js';
import type { ModelDef } from '../model.js';
import { selectProperties } from '../select.js';
import {
  C_COUNT, C_CURSOR, C_ENTRY, C_GROW, C_HARD, C_LIMIT, C_RESERVED, C_SIGNAL, C_STOP, ENTRY_BLOCK, ENTRY_HEAD, MARK, SEGMENT_BITS, STAT_WORDS,
  modelSignature, type Command, type LevelReport, type PauseReason, type Reply, type WorkerData, type EngineData,
  type WorkerFailure,
} from './protocol.js';
import { entryWords, homeOf, lowerKey, settleEntries } from './shared-table.js';
import { EdgeLog } from './level-edges.js';

/** Fewest states a worker claims at once near the end of a level (unless the table is nearly full). */
const MIN_CHUNK = 32;

export async function loadModel(source: ModelSource): Promise<ModelDef<any, any>> {
  const url = /^[a-z]+:/i.test(source.module) ? source.module : pathToFileURL(source.module).href;
  const mod = await import(url) as Record<string, unknown>;
  const x = mod[source.export];
  if (x === undefined) throw new Error(`--workers: ${source.module} has no export '${source.export}'`);
  return (typeof x === 'function' ? (x as (...a: unknown[]) => unknown)(...(source.args ?? [])) : x) as ModelDef<any, any>;
}

export async function start(data: WorkerData): Promise<void> {
  const def = await loadModel(data.source);
  const cm = compile(def, data.design, data.constants);
  if (modelSignature(cm) !== data.signature) {
    throw new Error(`--workers: the model a worker compiled (${data.source.module}) ` +
      `differs from the one being checked; if you changed the sources, rebuild dist/ (npx tsc -p .)`);
  }
  const engine = new Engine(cm, data);
  const port = data.port;
  const control = new Int32Array(data.control);
  const post = (reply: Reply) => {
    port.postMessage(reply);
    Atomics.add(control, C_SIGNAL, 1);
    Atomics.notify(control, C_SIGNAL);
  };
  port.on('message', (cmd: Command) => {
    if (cmd.type === 'close') { port.close(); return; }
    let reply: Reply;
    try {
      reply = engine.handle(cmd);
    } catch (e) {
      reply = failure(e);
    }
    post(reply);
  });
  post({ type: 'ready' });
}

function failure(e: unknown): WorkerFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const schema = err instanceof SchemaViolation
    ? { action: err.action, variable: err.variable, value: err.value, accepted: err.accepted, origin: err.origin } : undefined;
  return { type: 'error', name: err.name, message: err.message, stack: err.stack, schema };
}

/** Expands levels of the search, in a worker thread, or on the coordinator for small levels. */
export class Engine {
  private readonly control: Int32Array;
  private readonly stats: Float64Array;
  private readonly statAt: number;

  private readonly core: TransitionCore;
  private readonly succ: Successors;
  private readonly W: number;
  /** Words of an arena entry. */
  private readonly EW: number;
  private readonly nInst: number;

  // the level being expanded
  private table: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private slots = 0;
  private arena: Uint32Array[] = [];
  /** The arena entries this engine has taken and not used yet: [entryNext, entryEnd). */
  private entryNext = 0;
  private entryEnd = 0;
  private frontier: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private size = 0;
  private levelStart = 0;
  private depth = 0;
  private deadlockOpen = false;

  // what it found in this level
  private stored = 0;
  private invCand: number[][];
  private goalCand: number[][];
  private apMin: number[];
  private deadlockMin = -1;
  private violatedInLevel = false;
  private generated = 0;
  private expanded = 0;
  private readonly coverage: Coverage;
  private cutByDepth = false;
  private cutByConstraint = false;

  // totals, for the coordinator's progress line
  private totalGenerated = 0;
  private totalExpanded = 0;
  /** Keeps the slot-touching loads of expand() from being optimised away. */
  private sink = 0;
  /** The fingerprints this engine has just looked up in the table. */
  private readonly recent = new RecentFingerprints();

  // one state's successors' fingerprints
  private readonly succLo: Uint32Array;
  private readonly succHi: Uint32Array;
  /** The level's edges, only when a liveness property is checked. */
  private readonly edgeLog: EdgeLog | undefined;

  constructor(cm: CompiledModel, private readonly data: EngineData) {
    this.control = new Int32Array(data.control);
    this.stats = new Float64Array(data.stats);
    this.statAt = data.index * STAT_WORDS;
    const sel = selectProperties(cm, data.options.properties);
    this.core = new TransitionCore(cm, sel, { avoidActions: data.options.avoidActions }, { symmetry: data.options.symmetry });
    this.succ = new Successors(this.core);
    this.W = this.core.W;
    this.EW = entryWords(this.W);
    this.nInst = cm.instances.length;
    this.invCand = sel.invariants.map(() => []);
    this.goalCand = sel.goals.map(() => []);
    this.apMin = sel.actionProperties.map(() => -1);
    this.coverage = new Coverage(Int32Array.from(cm.instances.map((i) => i.action)), cm.actionNames.length);
    this.succLo = new Uint32Array(Math.max(1, this.nInst));
    this.succHi = new Uint32Array(Math.max(1, this.nInst));
    this.edgeLog = data.options.recordEdges ? new EdgeLog() : undefined;
  }

  handle(cmd: Exclude<Command, { type: 'close' }>): Exclude<Reply, { type: 'error' | 'ready' }> {
    switch (cmd.type) {
      case 'level':
        this.table = new Uint32Array(cmd.table);
        this.setTable(cmd.slots, cmd.arena);
        this.frontier = new Uint32Array(cmd.frontier);
        this.size = cmd.size;
        this.levelStart = cmd.levelStart;
        this.depth = cmd.depth;
        this.core.invOpen.set(cmd.invOpen);
        this.core.goalOpen.set(cmd.goalOpen);
        this.core.openActionProperties(cmd.apOpen);
        this.deadlockOpen = cmd.deadlockOpen;
        this.startLevel();
        return { type: 'paused', reason: this.run() };
      case 'resume':
        this.setTable(cmd.slots, cmd.arena);
        return { type: 'paused', reason: this.run() };
      case 'finalize':
        settleEntries(this.table, this.slots, this.arena, this.EW, cmd.settleStart, cmd.settleEnd);
        return this.finalize();
    }
  }

  private setTable(slots: number, arena: readonly SharedArrayBuffer[]): void {
    this.slots = slots;
    for (let k = this.arena.length; k < arena.length; k++) this.arena.push(new Uint32Array(arena[k]!));
  }

  private startLevel(): void {
    this.stored = 0;
    this.entryNext = 0;
    this.entryEnd = 0;
    for (const c of this.invCand) c.length = 0;
    for (const c of this.goalCand) c.length = 0;
    this.apMin.fill(-1);
    this.deadlockMin = -1;
    this.violatedInLevel = false;
    this.generated = 0;
    this.expanded = 0;
    this.coverage.reset();
    this.cutByDepth = false;
    this.cutByConstraint = false;
    this.edgeLog?.reset();
  }

  /** Claims and expands chunks until the level is exhausted, the search must stop, or the table must grow. */
  private run(): PauseReason {
    const c = this.control;
    const nInst = Math.max(1, this.nInst);
    const workers = this.data.workers;
    const most = this.data.options.chunk;
    const least = Math.min(MIN_CHUNK, most);
    for (;;) {
      if (Atomics.load(c, C_STOP) !== 0) return 'stop';
      if (Atomics.load(c, C_GROW) !== 0) return 'grow';
      const cursor = Atomics.load(c, C_CURSOR);
      if (cursor >= this.size) return 'done';
      // Guided chunking: smaller chunks near the end of the level keep both workers busy.
      let k = Math.min(most, Math.max(least, Math.floor((this.size - cursor) / (4 * workers))));
      // Reserve room for the worst case (every successor new), so the table never overfills.
      const count = Atomics.load(c, C_COUNT);
      if (count > Atomics.load(c, C_LIMIT)) { Atomics.store(c, C_GROW, 1); return 'grow'; }
      let need = k * nInst;
      const reserved = Atomics.add(c, C_RESERVED, need) + need;
      const hard = Atomics.load(c, C_HARD);
      if (count + reserved > hard) {
        Atomics.sub(c, C_RESERVED, need);
        const fit = Math.floor((hard - count - (reserved - need)) / nInst);
        if (fit < 1) { Atomics.store(c, C_GROW, 1); return 'grow'; }
        k = Math.min(k, fit);
        need = k * nInst;
        const again = Atomics.add(c, C_RESERVED, need) + need;
        if (Atomics.load(c, C_COUNT) + again > hard) { Atomics.sub(c, C_RESERVED, need); continue; }
      }
      const start = Atomics.add(c, C_CURSOR, k);
      if (start >= this.size) { Atomics.sub(c, C_RESERVED, need); return 'done'; }
      const inserted = this.expand(start, Math.min(this.size, start + k));
      Atomics.add(c, C_COUNT, inserted);
      Atomics.sub(c, C_RESERVED, need);
      this.stats[this.statAt] = this.totalGenerated + this.generated;
      this.stats[this.statAt + 1] = this.totalExpanded + this.expanded;
    }
  }

  /** Expands frontier[start, end); returns how many new states it stored. */
  private expand(start: number, end: number): number {
    const { core, succ, W, EW, nInst, frontier, levelStart, succLo, succHi, arena, recent } = this;
    const table = this.table;
    const slots = this.slots;
    const segMask = (1 << SEGMENT_BITS) - 1;
    const checkDeadlock = this.data.options.checkDeadlock && this.deadlockOpen;
    const atBound = this.depth >= this.data.options.maxDepth;
    const stride = nInst + 1;
    let anyStateCheck = false;
    for (let k = 0; k < core.invOpen.length; k++) anyStateCheck ||= core.invOpen[k] === 1;
    for (let k = 0; k < core.goalOpen.length; k++) anyStateCheck ||= core.goalOpen[k] === 1;
    const apMin = this.apMin;
    const coverage = this.coverage;
    const words = succ.words;
    const edgeLog = this.edgeLog;

    let generated = 0;
    let inserted = 0;
    for (let pos = start; pos < end; pos++) {
      const id = levelStart + pos;
      const id1 = id + 1;
      if (!core.expand(frontier, pos * W, atBound, succ)) {
        this.cutByConstraint = true;
        if (edgeLog) { edgeLog.begin(pos); edgeLog.partial(); }
        continue;
      }
      const enabled = succ.enabled;
      if (atBound && enabled) this.cutByDepth = true;
      const m = succ.count;
      for (let f = 0; f < succ.apFails; f++) {
        const k = succ.apFailProp[f]!;
        if (apMin[k] === -1) { apMin[k] = id * stride + succ.inst[succ.apFailAt[f]!]!; this.violated(); }
      }
      for (let q = 0; q < m; q++) {
        const i = succ.inst[q]!;
        generated++;
        coverage.count(i, id);
        fingerprint(words, q * W, W);
        succLo[q] = FP[0]! === 0 ? 1 : FP[0]!;
        succHi[q] = FP[1]!;
      }
      if (edgeLog) {
        edgeLog.begin(pos);
        for (let q = 0; q < m; q++) edgeLog.edge(succLo[q]!, succHi[q]! === 0 ? 1 : succHi[q]!, succ.inst[q]!);
        if (atBound && enabled) edgeLog.partial();
      }

      // Touch every successor's home slot first: the loads are independent,
      // so their cache misses overlap instead of stalling one insert each.
      // (Not those this engine has just looked up: they are in the table.)
      let touch = 0;
      for (let q = 0; q < m; q++) if (!recent.has(succLo[q]!, succHi[q]!)) touch ^= table[homeOf(succLo[q]!, slots) << 1]!;
      this.sink ^= touch;

      for (let q = 0; q < m; q++) {
        const lo = succLo[q]!;
        const h = succHi[q]! & 0x7fffffff;
        const hi = h === 0 ? 1 : h;
        const i = succ.inst[q]!;
        // Found in the table a moment ago by this engine: stored in an earlier level, or new in this
        // one with a key at most the one it had then (keys only decrease), which is below this one
        // (an engine meets its parents and their instances in increasing order).
        if (recent.has(lo, succHi[q]!)) continue;
        recent.note(lo, succHi[q]!);
        // Insert, or lower the key of the new state already there (protocol.ts).
        let s = homeOf(lo, slots);
        let entry = -1;
        for (;;) {
          const j = s << 1;
          let x = table[j]!;
          if (x === 0) {
            x = Atomics.compareExchange(table, j, 0, lo);
            if (x === 0) {
              if (this.entryNext === this.entryEnd) this.takeBlock();
              entry = this.entryNext++;
              const seg = arena[entry >>> SEGMENT_BITS]!;
              const at = (entry & segMask) * EW;
              seg[at] = lo;
              seg[at + 1] = hi;
              seg[at + 2] = id1;
              seg[at + 3] = i;
              for (let k = 0; k < W; k++) seg[at + ENTRY_HEAD + k] = words[q * W + k]!;
              Atomics.store(table, j + 1, MARK + entry);
              break;
            }
          }
          if (x === lo) {
            let y = table[j + 1]!;
            while (y === 0) y = Atomics.load(table, j + 1);
            if (y === hi) break; // stored in an earlier level
            if (y >= MARK) {
              const e = y - MARK;
              const seg = arena[e >>> SEGMENT_BITS]!;
              const at = (e & segMask) * EW;
              // Plain reads: the entry is written once before its slot is published, and keys
              // only decrease, so a stale key errs on the side of taking the lock, except one
              // not yet visible at all (0), which is read again after synchronising on the slot.
              let b = seg[at + 1]!;
              if (b === 0) { Atomics.load(table, j + 1); b = Atomics.load(seg, at + 1); }
              if (b === hi) {
                let r = seg[at + 2]!;
                if (r === 0) { Atomics.load(table, j + 1); r = Atomics.load(seg, at + 2); }
                if (id1 < r) lowerKey(seg, at, id1, i);
                break;
              }
            }
          }
          s = s + 1 === slots ? 0 : s + 1;
        }
        if (entry < 0) continue;

        inserted++;
        if (anyStateCheck) {
          // Candidates only: whether this engine's insertion is the canonical discovery is known at finalize.
          core.loadNext(words, q * W);
          core.checkNext();
          for (let h = 0; h < core.invHitCount; h++) { this.invCand[core.invHits[h]!]!.push(entry); this.violated(); }
          for (let h = 0; h < core.goalHitCount; h++) this.goalCand[core.goalHits[h]!]!.push(entry);
        }
      }
      if (!enabled && checkDeadlock && this.deadlockMin === -1) { this.deadlockMin = id * stride + nInst; this.violated(); }
    }
    this.generated += generated;
    this.expanded += end - start;
    this.stored += inserted;
    return inserted;
  }

  /** Takes the next block of arena entries (the claim's reservation guarantees the arena holds it). */
  private takeBlock(): void {
    this.entryNext = Atomics.add(this.control, C_ENTRY, ENTRY_BLOCK);
    this.entryEnd = this.entryNext + ENTRY_BLOCK;
    if (this.entryEnd > this.arena.length << SEGMENT_BITS) throw new Error('parallel search: the level arena is full (the claims reserve room for it)');
  }

  /** A violation was recorded: unless --continue, no worker claims further work. */
  private violated(): void {
    if (this.violatedInLevel || this.data.options.continueAll) return;
    this.violatedInLevel = true;
    Atomics.store(this.control, C_STOP, 1);
  }

  /** Every engine has stopped expanding: keys are final. Find the smallest candidates. */
  private finalize(): LevelReport {
    const { EW, arena } = this;
    const stride = this.nInst + 1;
    const segMask = (1 << SEGMENT_BITS) - 1;
    const keyOf = (e: number) => {
      const seg = arena[e >>> SEGMENT_BITS]!;
      const at = (e & segMask) * EW;
      return (seg[at + 2]! - 1) * stride + seg[at + 3]!;
    };
    const minOf = (cands: number[]) => {
      let best = -1;
      for (const e of cands) {
        const p = keyOf(e);
        if (best < 0 || p < best) best = p;
      }
      return best;
    };
    const report: LevelReport = {
      type: 'finalized',
      count: this.stored,
      generated: this.generated,
      expanded: this.expanded,
      generatedBy: this.coverage.generatedBy,
      enabledStates: this.coverage.enabledStates,
      cutByDepth: this.cutByDepth,
      cutByConstraint: this.cutByConstraint,
      invMin: this.invCand.map(minOf),
      apMin: [...this.apMin],
      goalMin: this.goalCand.map(minOf),
      deadlockMin: this.deadlockMin,
      ...(this.edgeLog ? { edges: this.edgeLog.contents() } : {}),
    };
    this.totalGenerated += this.generated;
    this.totalExpanded += this.expanded;
    return report;
  }
}
