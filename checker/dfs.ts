// The depth-first engine: the same expansion as the breadth-first engine's
// in-thread levels (local.ts), with the queue used as a stack. Traces are
// then not the shortest; findings are kept in the order they are met. The
// state graph for liveness is recorded as states are expanded and put in id
// order at the end (liveness/graph.ts seal); a lasso's prefix then follows
// the depth-first parent links, so it is a real path, not the shortest.

import { type Halt, isAllocationFailure, memoryReason, type SearchContext } from './context.js';
import { StoreFullError } from './errors.js';
import { LocalExplorer } from './local.js';
import { assembleResult, Findings, storeInitialStates } from './outcome.js';
import type { CheckResult } from './result.js';
import { livenessResults } from './liveness/check.js';

export function depthFirst(ctx: SearchContext): CheckResult {
  const { cm, core, selected } = ctx;
  const x = new LocalExplorer(ctx, 'any');
  const { store, queue } = x;
  const found = new Findings(selected, ctx.continueAll);
  let generated = 0;
  let maxSeenDepth = 0;
  let cut: Halt | undefined;
  // What the explorer records first, copied into the findings once: it checks only what is still open.
  const collect = () => {
    x.invId.forEach((id, k) => { if (id >= 0) found.invariantFails(k, id); });
    x.apId.forEach((id, k) => { if (id >= 0) found.actionPropertyFails(k, id, x.apInst[k]!); });
    x.goalId.forEach((id, k) => { if (id >= 0) found.goalReached(k, id); });
    if (x.deadlockId >= 0) found.deadlock(x.deadlockId);
  };

  try {
    generated = storeInitialStates(core, (words, k) => x.addInitial(words, k), found).generated;
    collect();
    x.stop = found.stop;
    while (queue.length > 0 && !x.stop) {
      const id = queue.pop(x.curPacked);
      const depth = store.depth(id);
      if (depth > maxSeenDepth) maxSeenDepth = depth;
      if (x.tickDue(depth)) { cut = ctx.halt; queue.push(id, x.curPacked, 0); break; }
      x.expandOne(id, depth, depth >= ctx.maxDepth);
    }
  } catch (e) {
    if (e instanceof StoreFullError) cut = { by: 'memory', reason: e.message };
    else if (isAllocationFailure(e)) cut = { by: 'memory', reason: memoryReason(store.size, store.bytes + queue.bytes, ctx.maxStoreBytes) + `; the system refused more (${e.message})` };
    else throw e;
    x.graph?.abandonLast();
  }
  collect();

  const seconds = ctx.seconds();
  if (!cut && !found.stop) {
    if (x.cutByDepth) cut = { by: 'depth', reason: `depth bound ${ctx.maxDepth} cut the search` };
    else if (x.cutByConstraint) cut = { by: 'constraint', reason: 'the state constraint cut the search' };
  }
  const stoppedEarly = found.stop && queue.length > 0;
  if (!cut && stoppedEarly) cut = { by: 'violation', reason: 'stopped at the first violation' };
  const complete = !cut;
  x.graph?.seal(store.size);
  const reachedGoals = new Set(selected.goals.filter((_, k) => found.goalAt[k]! >= 0).map((g) => g.name));
  const liveness = livenessResults(cm, selected.liveness ?? [], x.graph, store, complete,
    (names) => (names ?? []).filter((g) => !reachedGoals.has(g)));
  return assembleResult(cm, selected, {
    strategy: 'dfs', complete, incompleteReason: cut?.reason, cutShortBy: cut?.by,
    links: store, findings: found,
    distinct: store.size, generated: generated + x.generated, queueLeft: queue.length, depth: maxSeenDepth, seconds,
    storeBytes: store.bytes, peakRss: ctx.peakRss,
    actionOf: Int32Array.from(cm.instances.map((i) => i.action)), generatedBy: x.coverage.generatedBy,
    distinctBy: distinctByInstance(store, cm.instances.length), enabledStates: x.coverage.enabledStates,
    symmetry: core.symmetry, representedStates: x.represented,
    liveness, livenessSkipped: ctx.livenessSkipped,
  });
}

/** Distinct states each instance reached first (the initial states count for none). */
function distinctByInstance(store: LocalExplorer['store'], nInst: number): Float64Array {
  const out = new Float64Array(nInst);
  for (let id = 0; id < store.size; id++) if (store.depth(id) > 0) out[store.action(id)]!++;
  return out;
}
