// Entry point of a thread of matrix-lanes.ts: takes the next model no thread
// has taken yet, checks its table and sends it back, until none is left.

import { workerData } from 'node:worker_threads';
import { UsageError } from '../checker/errors.js';
import { tableOf, type MatrixLaneData, type MatrixLaneReply } from './matrix-lanes.js';

const data = workerData as MatrixLaneData;
const post = (reply: MatrixLaneReply) => data.port.postMessage(reply);

try {
  for (let k = Atomics.add(data.next, 0, 1); k < data.names.length; k = Atomics.add(data.next, 0, 1)) {
    post({ type: 'table', index: k, table: tableOf(data.names[k]!, data.search, data.perDesign) });
  }
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: 'error', usage: e instanceof UsageError, message: err.message, stack: err.stack });
  // The others stop at their next model too.
  Atomics.store(data.next, 0, data.names.length);
}
