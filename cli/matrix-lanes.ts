// The verdict tables of several built-in models, on as many threads as there
// are cores: this thread and matrix-thread.ts's each take the next model not
// yet taken, so the tables take about as long as the longest model rather
// than the sum of them (npm start checks every model). Each model is checked
// by one thread with the same runMatrix, so its table is the one a single
// thread makes; the tables are shown in the models' order.

import { existsSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { runMatrix, type MatrixResult } from '../checker/matrix.js';
import type { SearchOptions } from '../checker/search.js';
import type { CheckResult } from '../checker/result.js';
import { UsageError } from '../checker/errors.js';
import { num, progressLine } from './format.js';
import { modelNamed, modelSourceOf } from './registry.js';

/** What a table's search may be asked (the matrix command's options that reach the search). */
export type LaneSearch = Pick<SearchOptions, 'maxSeconds' | 'symmetry' | 'por'>;

export interface MatrixLaneData {
  readonly names: readonly string[];
  /** The next model to take, shared by every thread (Atomics.add). */
  readonly next: Int32Array;
  readonly search: LaneSearch;
  /** Print a line per design checked (not with --json). */
  readonly perDesign: boolean;
  readonly port: MessagePort;
}

export type MatrixLaneReply =
  | { readonly type: 'table'; readonly index: number; readonly table: MatrixResult }
  | { readonly type: 'error'; readonly usage: boolean; readonly message: string; readonly stack?: string };

// Straight to the file descriptor: a thread's process.stderr passes a line on
// only when its event loop turns, which a running search never lets it do.
const say = (line: string) => { try { writeSync(2, line + '\n'); } catch { /* stderr closed */ } };

/** Checks every design of built-in model `name`, saying on stderr how it goes (as the matrix command always has). */
export function tableOf(name: string, search: LaneSearch, perDesign: boolean): MatrixResult {
  return runMatrix(modelNamed(name), {
    search: { ...search, modelSource: modelSourceOf(name), onProgress: (p) => say(`  ${name}: ${progressLine(p)}`) },
    onDesign: perDesign ? (d: string, r: CheckResult) => say(`  checked ${name} / ${d}: ${num(r.distinctStates)} states, ${r.seconds.toFixed(2)} s`) : undefined,
  });
}

/** Where a lane thread starts: the compiled build, also when this module runs from TypeScript sources (vitest). */
function threadEntry(): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../dist/cli/matrix-thread.js', here) : new URL('./matrix-thread.js', here);
  if (!existsSync(url)) throw new Error(`the matrix thread's entry ${fileURLToPath(url)} is missing; build with: npx tsc -p .`);
  return url;
}

/**
 * The tables of the built-in models `names`, in that order; `show` is called
 * with each as soon as it and every table before it are done. One model, or
 * one core: all on this thread.
 */
export async function tablesInLanes(names: readonly string[], search: LaneSearch, perDesign: boolean, show: (m: MatrixResult) => void): Promise<MatrixResult[]> {
  const tables: (MatrixResult | undefined)[] = names.map(() => undefined);
  let shown = 0;
  const showReady = () => { while (shown < names.length && tables[shown]) show(tables[shown++]!); };
  const threads = Math.min(availableParallelism(), names.length) - 1;
  if (threads <= 0) {
    names.forEach((n, k) => { tables[k] = tableOf(n, search, perDesign); showReady(); });
    return tables as MatrixResult[];
  }
  const next = new Int32Array(new SharedArrayBuffer(4));
  const entry = threadEntry();
  let failure: Error | undefined;
  const take = (reply: MatrixLaneReply) => {
    if (reply.type === 'table') { tables[reply.index] = reply.table; return; }
    failure ??= reply.usage ? new UsageError(reply.message) : Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {});
  };
  // Each thread answers on a port of its own, which this thread reads without waiting (receiveMessageOnPort).
  const lanes = Array.from({ length: threads }, () => {
    const { port1, port2 } = new MessageChannel();
    const data: MatrixLaneData = { names, next, search, perDesign, port: port2 };
    const worker = new Worker(entry, { workerData: data, transferList: [port2] });
    const exited = new Promise<void>((resolve) => {
      worker.once('error', (e) => { failure ??= e; });
      worker.once('exit', (code) => { if (code !== 0) failure ??= new Error(`a matrix thread exited with code ${code}`); resolve(); });
    });
    return { port: port1, worker, exited };
  });
  const collect = () => {
    for (const { port } of lanes) for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) take(m.message as MatrixLaneReply);
  };
  try {
    // This thread takes models too, and between its own shows what the others have finished.
    for (let k = Atomics.add(next, 0, 1); k < names.length && !failure; k = Atomics.add(next, 0, 1)) {
      tables[k] = tableOf(names[k]!, search, perDesign);
      collect();
      if (!failure) showReady();
    }
    await Promise.all(lanes.map((l) => l.exited));
    collect();
  } finally {
    for (const l of lanes) { l.port.close(); void l.worker.terminate(); }
  }
  if (failure) throw failure;
  const missing = names.filter((_, k) => !tables[k]);
  if (missing.length) throw new Error(`the matrix threads ended without the tables of ${missing.join(', ')}`);
  showReady();
  return tables as MatrixResult[];
}
