// Replays a hand-written scenario on the virtiofs-modes model from the initial
// state whose server answer is `serverDax`: each step names an action and the
// parameters that matter; `err` is what a refused call must return, read on
// the state after it. A step that is not enabled (or returns another errno)
// fails the test with its number and name.

import { compile, type ActionInstance } from '../checker/compile.js';
import type { TraceStep } from '../checker/result.js';
import { replayInstances } from '../checker/trace.js';
import { virtiofsModesModel } from '../spec/virtiofs-modes/index.js';

export type Step = readonly [action: string, params?: Record<string, string | number | boolean>];

export function play(design: string, serverDax: boolean, steps: readonly Step[], constants: Record<string, string | number> = {}): TraceStep[] {
  const cm = compile(virtiofsModesModel, design, constants);
  const init = cm.inits.find((i) => (replayInstances(cm, i, [])[0]!.state as { serverDax: boolean }).serverDax === serverDax)!;
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
/** Each step's label, the initial state left out. */
export const labels = (trace: readonly TraceStep[]): string[] => trace.slice(1).map((t) => t.label);
