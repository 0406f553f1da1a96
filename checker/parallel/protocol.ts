// What the coordinator (main thread) and the workers of the parallel
// breadth-first search share: the layout of the control block, the
// fingerprint table's slot format, the messages they exchange, and how a
// worker finds the model it must compile.
//
// The fingerprint table is open addressing with linear probing over a
// SharedArrayBuffer, two Uint32 words per slot: the 64-bit fingerprint
// [lo, hi], lo forced non-zero (0 marks an empty slot), hi to 31 non-zero
// bits. A slot's home is lo scaled to the table's size (shared-table.ts
// homeOf), so the table grows by half, in place (growInPlace).
//
// A state new in the level being expanded has an *arena entry* (a shared
// array in segments of 2^SEGMENT_BITS entries, which the coordinator adds to
// while the engines pause), and its slot holds [lo, MARK + entry] until the
// level ends:
//
//   entry: [lo, hi, rank + 1, inst, packed words ...]
//
// (rank, inst) is the state's *canonical discovery key*: the sequential
// engine's id of the parent it is first reached from in breadth-first order,
// and the action instance taken (rank is stored plus one, so that 0 means
// "not yet visible"; a reader that sees 0 re-reads after synchronising on the
// slot). Several engines can reach the same new state in one level; each
// lowers the key to its own (rank, inst) when smaller, so at the end of the
// level every key is the one the sequential engine would have recorded. The
// engines then write each entry's hi into its slot (settleEntries), and the
// coordinator numbers the new level in key order from the arena, which
// reproduces the sequential engine's state ids, parent links, traces and
// coverage exactly. So the table costs 8 bytes a slot, and the keys exist
// only for the new states of one level.
//
// A slot is claimed by Atomics.compareExchange on lo, then the entry is
// written, then the second word is published with Atomics.store; a reader
// that sees lo but a second word of 0 waits for it.

import type { MessagePort } from 'node:worker_threads';
import type { CompiledModel } from '../compile.js';
import type { ModelSource } from '../context.js';
import type { ViolationOrigin } from '../errors.js';

export const SLOT_WORDS = 2;
/** A slot's second word from MARK up: the arena entry (second word - MARK) of a state new in this level. */
export const MARK = 0x80000000;
/** Words of an arena entry before the packed state. */
export const ENTRY_HEAD = 4;
/** Entries per arena segment (a power of two). */
export const SEGMENT_BITS = 14;
/** Entries an engine takes from the arena at once (with one atomic add). */
export const ENTRY_BLOCK = 64;
/** The inst word of a slot while a worker holds it to lower the key. */
export const LOCKED = 0xffffffff;
/** The table grows when this fraction of its slots is used ... */
export const GROW_LOAD = 0.75;
/** ... and never holds more than this (claims of work reserve room first). */
export const HARD_LOAD = 0.9;

// ---- control block (Int32Array over a SharedArrayBuffer) -----------------

/** Next frontier index to claim. */
export const C_CURSOR = 0;
/** States in the table, published by workers at the end of each chunk. */
export const C_COUNT = 1;
/** Insertions that claimed chunks may still make (worst case: every instance of every state new). */
export const C_RESERVED = 2;
/** Non-zero: claim no more work. 1 a violation (and not --continue), 2 the coordinator (time limit, error). */
export const C_STOP = 3;
/** Non-zero: a worker found no room to claim work; the table must grow. */
export const C_GROW = 4;
/** Incremented (and notified) by a worker each time it posts a message. */
export const C_SIGNAL = 5;
/** The count above which the table must grow (GROW_LOAD x capacity). */
export const C_LIMIT = 6;
/** Hard bound on count + reserved (HARD_LOAD x capacity, and what the arena holds). */
export const C_HARD = 7;
/** The next free arena entry (engines take ENTRY_BLOCK at a time). */
export const C_ENTRY = 8;
export const CONTROL_WORDS = 9;

/** Per-worker progress figures in a shared Float64Array: generated, expanded. */
export const STAT_WORDS = 2;

/**
 * A fingerprint of the compiled model's shape, compared by every worker with
 * its own compilation, so that a worker which loaded a different model (a
 * stale dist/, a module that exports another model) fails loudly.
 */
export function modelSignature(cm: CompiledModel): string {
  return JSON.stringify({
    model: cm.model,
    design: cm.design,
    constants: cm.constants,
    slots: cm.layout.slotNames,
    lo: Array.from(cm.layout.lo),
    hi: Array.from(cm.layout.hi),
    inits: cm.inits.map((i) => i.params),
    instances: cm.instances.map((i) => [i.name, i.params, !!i.guard]),
    invariants: cm.invariants.map((p) => p.name),
    actionProperties: cm.actionProperties.map((p) => p.name),
    goals: cm.goals.map((p) => p.name),
    constraint: cm.constraint !== undefined,
    checkDeadlock: cm.checkDeadlock,
  });
}

// ---- messages -------------------------------------------------------------

export interface WorkerOptions {
  readonly maxDepth: number;
  readonly checkDeadlock: boolean;
  readonly continueAll: boolean;
  readonly properties: readonly string[] | undefined;
  readonly avoidActions: readonly string[] | undefined;
  /** --symmetry (core.ts Reductions). */
  readonly symmetry: boolean;
  /** Most states claimed at once (tests set DAXCHECK_PARALLEL_CHUNK low to interleave workers finely). */
  readonly chunk: number;
  /** Log each expanded state's edges for the state graph (a liveness property is checked; level-edges.ts). */
  readonly recordEdges?: boolean;
}

/** What an expansion engine needs, in a worker thread or (for small levels) on the coordinator. */
export interface EngineData {
  /** Its slot in the stats array. */
  readonly index: number;
  /** How many engines share a level (for chunk sizing). */
  readonly workers: number;
  readonly options: WorkerOptions;
  readonly control: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
}

export interface WorkerData extends EngineData {
  readonly source: ModelSource;
  readonly design: string;
  readonly constants: Readonly<Record<string, number | string>>;
  readonly signature: string;
  readonly port: MessagePort;
}

/** Coordinator to worker. */
export type Command =
  | {
    readonly type: 'level';
    readonly frontier: SharedArrayBuffer;
    readonly size: number;
    /** Sequential id of the frontier's first state. */
    readonly levelStart: number;
    readonly depth: number;
    readonly table: SharedArrayBuffer;
    /** Slots of the table in use. */
    readonly slots: number;
    readonly arena: readonly SharedArrayBuffer[];
    /** 1 for a property still looked for. */
    readonly invOpen: readonly number[];
    readonly apOpen: readonly number[];
    readonly goalOpen: readonly number[];
    readonly deadlockOpen: boolean;
  }
  | { readonly type: 'resume'; readonly slots: number; readonly arena: readonly SharedArrayBuffer[] }
  /** The keys are final: settle the arena entries [settleStart, settleEnd) into the table and report. */
  | { readonly type: 'finalize'; readonly settleStart: number; readonly settleEnd: number }
  | { readonly type: 'close' };

export type PauseReason = 'done' | 'stop' | 'grow';

/**
 * One engine's edges of one level (level-edges.ts EdgeLog): per expanded state (frontier position,
 * edge count, 1 when all its edges are there), per edge (lo, hi, instance).
 * The buffers are shared, not handed over: the engine writes them again only
 * in the next level, after the coordinator has read them (it reads them
 * before it starts the next level), so one log per engine, as large as its
 * largest level, serves the whole run.
 */
export interface LevelEdges {
  readonly states: SharedArrayBuffer;
  readonly stateCount: number;
  readonly edges: SharedArrayBuffer;
  readonly edgeCount: number;
}

/** What a worker found in one level; positions are rank * (instances + 1) + inst, -1 for none. */
export interface LevelReport {
  readonly type: 'finalized';
  /** New states this engine stored (their entries are in the arena). */
  readonly count: number;
  readonly generated: number;
  readonly expanded: number;
  readonly generatedBy: Float64Array;
  readonly enabledStates: Float64Array;
  readonly cutByDepth: boolean;
  readonly cutByConstraint: boolean;
  readonly invMin: readonly number[];
  readonly apMin: readonly number[];
  readonly goalMin: readonly number[];
  readonly deadlockMin: number;
  /** With recordEdges: the edges of the states this engine expanded (level-edges.ts). */
  readonly edges?: LevelEdges;
}

export interface WorkerFailure {
  readonly type: 'error';
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** For a SchemaViolation: its fields, so the coordinator can rethrow the same error. */
  readonly schema?: { readonly action: string; readonly variable: string; readonly value: number; readonly accepted: string; readonly origin?: ViolationOrigin };
}

/** Worker to coordinator. */
export type Reply =
  | { readonly type: 'ready' }
  | { readonly type: 'paused'; readonly reason: PauseReason }
  | LevelReport
  | WorkerFailure;
