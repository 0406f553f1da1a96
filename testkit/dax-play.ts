// Replays a hand-written scenario on the dax model: each step names an action
// and the parameters that matter (shown values: `p1`, `f2`, `d1`, `true`); a
// step that is not enabled fails with its number and name.

import { compile, findInstance, type CompiledModel } from '../checker/compile.js';
import type { TraceStep } from '../checker/result.js';
import { replayInstances } from '../checker/trace.js';
import { daxModel } from '../spec/dax/index.js';

export type Move = readonly [action: string, params?: Record<string, string | boolean>];

/** `moves` from the initial state `init` names (its parameters, shown), at `constants`, under `design`. */
export function playDax(moves: readonly Move[], constants: Record<string, string | number>, init: Record<string, unknown>, design = 'instantiate-only'): { cm: CompiledModel; steps: TraceStep[] } {
  const cm = compile(daxModel, design, constants);
  const start = findInstance(cm, 'Init', init);
  if (!start) throw new Error(`no initial state ${JSON.stringify(init)}`);
  const path = moves.map(([name, params = {}], i) => {
    const inst = findInstance(cm, name, params);
    if (!inst) throw new Error(`step ${i + 1}: no ${name} ${JSON.stringify(params)}`);
    return inst;
  });
  for (let k = 1; k <= path.length; k++) {
    try { replayInstances(cm, start, path.slice(0, k)); } catch (e) {
      throw new Error(`step ${k}, ${moves[k - 1]![0]} ${JSON.stringify(moves[k - 1]![1] ?? {})}, is not enabled: ${(e as Error).message}`);
    }
  }
  return { cm, steps: replayInstances(cm, start, path) };
}

/** The decoded state after the last step. */
export const lastState = (t: { steps: TraceStep[] }): any => t.steps.at(-1)!.state;

/** Whether every step of `moves` is enabled. */
export function playable(moves: readonly Move[], constants: Record<string, string | number>, init: Record<string, unknown>): boolean {
  try { playDax(moves, constants, init); return true; } catch { return false; }
}
