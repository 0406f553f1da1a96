// Entry point of the thread a `check` search runs on. The search is
// synchronous; on its own thread it leaves the main thread's event loop free
// to receive SIGINT and SIGTERM, which it passes on through a shared word
// (SearchOptions.interrupt) that the search reads at every look at the clock.

import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '../checker/compile.js';
import { SchemaViolation, UsageError } from '../checker/errors.js';
import { SchemaError } from '../checker/layout.js';
import { loadModel } from '../checker/parallel/worker-engine.js';
import { check } from '../checker/search.js';
import { progressLine } from './format.js';
import type { SearchThreadData, SearchThreadReply } from './run-search.js';

const data = workerData as SearchThreadData;
// Straight to the file descriptor: this thread's process.stderr passes a line
// on only when its event loop turns, which a running search never lets it do.
const say = (line: string) => { try { writeSync(2, line + '\n'); } catch { /* stderr closed */ } };
const post = (reply: SearchThreadReply) => parentPort!.postMessage(reply);

try {
  const def = await loadModel(data.source);
  const cm = compile(def, data.design, data.constants);
  const result = check(cm, {
    ...data.options,
    ...(data.progress ? { onProgress: (p) => say(progressLine(p)) } : {}),
    ...(data.options.checkpoint ? { onCheckpoint: (depth, n) => say(`Checkpoint written: ${data.options.checkpoint!.dir} (${n.toLocaleString('en-US')} states; --resume continues at depth ${depth})`) } : {}),
  });
  post({ type: 'result', result });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  const kind = e instanceof UsageError ? 'usage' : e instanceof SchemaError ? 'schema' : e instanceof SchemaViolation ? 'violation' : 'internal';
  post({
    type: 'error', kind, message: err.message, stack: err.stack,
    ...(e instanceof SchemaViolation ? { schema: { action: e.action, variable: e.variable, value: e.value, accepted: e.accepted, origin: e.origin } } : {}),
  });
}
