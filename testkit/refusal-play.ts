// Replays a hand-written scenario on a model whose refused calls are steps that
// record their errno (`refused.errno`: passthrough, virtiofs-modes): each step
// names an action and the parameters that matter (the slot a result lands in,
// `-> file1`, is whichever instance matches first, not a parameter); `err` is
// what a refused call must return, read on the state after it. A step that is
// not enabled, or returns another errno, fails the test with its number and name.

import { type ActionInstance, type CompiledModel } from '../checker/compile.js';
import type { TraceStep } from '../checker/result.js';
import { replayInstances } from '../checker/trace.js';

export type Step = readonly [action: string, params?: Record<string, string | number | boolean>];

export function playFrom(cm: CompiledModel, init: ActionInstance, steps: readonly Step[]): TraceStep[] {
  const path: ActionInstance[] = [];
  const enabled = (inst: ActionInstance, err: unknown) => {
    try {
      const last = replayInstances(cm, init, [...path, inst]).at(-1)!.state as { refused: { errno: string } };
      return err === undefined || last.refused.errno === err;
    } catch { return false; }
  };
  for (const [action, { err, ...want } = {}] of steps) {
    const match = cm.instances.find((inst) => inst.name === action
      && Object.entries(want).every(([k, v]) => cm.showParams(inst)[k] === v)
      && enabled(inst, err));
    if (!match) throw new Error(`step ${path.length + 1}, ${action} ${JSON.stringify({ ...want, ...(err !== undefined ? { err } : {}) })}, is not enabled`);
    path.push(match);
  }
  return replayInstances(cm, init, path);
}

/** The decoded state after the last step. */
export const finalState = (trace: readonly TraceStep[]): any => trace.at(-1)!.state;
