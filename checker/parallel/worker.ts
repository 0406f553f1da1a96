// Entry point of a parallel-search worker thread. It only loads the engine,
// so that a failure to load (a stale or missing dist/, a model module that
// does not import) is reported to the coordinator instead of being lost:
// the coordinator waits on shared memory, not on worker events.

import { workerData } from 'node:worker_threads';
import { C_SIGNAL, type WorkerData, type WorkerFailure } from './protocol.js';

const data = workerData as WorkerData;

try {
  const engine = await import('./worker-engine.js');
  await engine.start(data);
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  const reply: WorkerFailure = { type: 'error', name: err.name, message: err.message, stack: err.stack };
  data.port.postMessage(reply);
  const control = new Int32Array(data.control);
  Atomics.add(control, C_SIGNAL, 1);
  Atomics.notify(control, C_SIGNAL);
  data.port.close();
}
