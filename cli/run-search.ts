// `check`'s search, run on a thread of its own (search-thread.ts) so that
// SIGINT and SIGTERM reach this one: the first stops the search (workers
// too) at its next look at the clock, and the run ends with the statistics
// so far, "incomplete: interrupted" and exit code 4; a second one ends the
// process at once with the signal's conventional code (128 + its number).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledModel } from '../checker/compile.js';
import { SchemaViolation, UsageError, type ViolationOrigin } from '../checker/errors.js';
import { SchemaError } from '../checker/layout.js';
import type { CheckResult } from '../checker/result.js';
import type { ModelSource, SearchOptions } from '../checker/search.js';

export interface SearchThreadData {
  readonly source: ModelSource;
  readonly design: string;
  readonly constants: CompiledModel['constants'];
  /** The search options without their callbacks (they do not cross threads). */
  readonly options: Omit<SearchOptions, 'onProgress' | 'onCheckpoint'>;
  /** Print progress lines on stderr. */
  readonly progress: boolean;
}

export type SearchThreadReply =
  | { readonly type: 'result'; readonly result: CheckResult }
  | {
    readonly type: 'error'; readonly kind: 'usage' | 'schema' | 'violation' | 'internal'; readonly message: string; readonly stack?: string;
    readonly schema?: { readonly action: string; readonly variable: string; readonly value: number; readonly accepted: string; readonly origin?: ViolationOrigin };
  };

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/** Where the search thread starts: the compiled build, also when this module runs from TypeScript sources (vitest). */
function threadEntry(): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../dist/cli/search-thread.js', here) : new URL('./search-thread.js', here);
  if (!existsSync(url)) throw new Error(`the search thread's entry ${fileURLToPath(url)} is missing; build with: npx tsc -p .`);
  return url;
}

/** Checks `cm` (loaded again on the search thread from `source`); resolves with its result, interrupted or not. */
export function runSearch(cm: CompiledModel, source: ModelSource, options: Omit<SearchOptions, 'onProgress' | 'onCheckpoint' | 'interrupt'>, progress: boolean): Promise<CheckResult> {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const data: SearchThreadData = { source, design: cm.design, constants: cm.constants, options: { ...options, interrupt }, progress };
  const thread = new Worker(threadEntry(), { workerData: data });
  const onSignal = (signal: keyof typeof SIGNALS) => {
    if (Atomics.load(interrupt, 0) !== 0) process.exit(128 + SIGNALS[signal]);
    Atomics.store(interrupt, 0, SIGNALS[signal]);
    process.stderr.write(`daxcheck: ${signal}: stopping the search (again to quit at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return new Promise<CheckResult>((resolve, reject) => {
    // The answer is taken when the thread has ended, so that what it wrote to
    // stderr (progress, checkpoints) has all been passed on by then.
    let reply: SearchThreadReply | undefined;
    let failure: Error | undefined;
    thread.once('message', (r: SearchThreadReply) => { reply = r; });
    thread.once('error', (e) => { failure = e; });
    thread.once('exit', (code) => {
      if (failure) return reject(failure);
      if (!reply) return reject(new Error(`the search thread exited (code ${code}) without a result`));
      if (reply.type === 'result') return resolve(reply.result);
      if (reply.kind === 'usage') return reject(new UsageError(reply.message));
      if (reply.kind === 'schema') return reject(new SchemaError(reply.message));
      if (reply.kind === 'violation' && reply.schema) {
        const s = reply.schema;
        return reject(new SchemaViolation(s.action, s.variable, s.value, s.accepted, s.origin));
      }
      const e = new Error(reply.message);
      if (reply.stack) e.stack = reply.stack;
      reject(e);
    });
  }).finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}
