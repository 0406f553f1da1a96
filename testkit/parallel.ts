// Shared by the parallel-search tests: run both engines, compare results.

import type { CompiledModel } from '../checker/compile.js';
import { findInstance } from '../checker/compile.js';
import type { CheckResult, Trace } from '../checker/result.js';
import { check, type ModelSource, type SearchOptions } from '../checker/search.js';
import { modelSourceOf } from '../cli/registry.js';
import { replayInstances } from '../checker/trace.js';

/** A result without what depends on timing and memory layout. */
export function comparable(r: CheckResult): Record<string, unknown> {
  const { seconds, statesPerSecond, peakRssBytes, storeBytes, ...rest } = r;
  void seconds; void statesPerSecond; void peakRssBytes; void storeBytes;
  return rest;
}

/**
 * The part of a result both engines must agree on when the run stopped at a
 * violation: the workers finish the chunks they hold, so transitions and
 * coverage counts may be larger; everything else is the sequential engine's.
 */
export function comparableAtStop(r: CheckResult): Record<string, unknown> {
  const { statesGenerated, coverage, collisionProbability, ...rest } = comparable(r) as unknown as CheckResult;
  void statesGenerated; void coverage; void collisionProbability;
  return rest;
}

/** Where worker threads find a built-in model. */
export const builtInSource = (model: string): ModelSource => modelSourceOf(model);

export function both(cm: CompiledModel, opts: SearchOptions = {}, workers = 2): { seq: CheckResult; par: CheckResult } {
  const seq = check(cm, opts);
  const par = check(cm, { ...opts, workers, modelSource: builtInSource(cm.model) });
  return { seq, par };
}

/** Replays a trace's steps through the model from Init; returns the states reached. */
export function replay(cm: CompiledModel, trace: Trace): unknown[] {
  const [first, ...rest] = trace.steps;
  const init = findInstance(cm, 'Init', first!.params)!;
  const insts = rest.map((s) => {
    const inst = findInstance(cm, s.action, s.params);
    if (!inst) throw new Error(`no instance ${s.label}`);
    return inst;
  });
  return replayInstances(cm, init, insts).map((s) => s.state);
}
