// The traces a conformance run performs: random walks of the model on the
// transition core, taking only steps a program can perform or force (the
// actions the model's C reproducer maps), seeded so that a run can be
// repeated step for step.

import type { CompiledModel } from '../checker/compile.js';
import { Successors, TransitionCore } from '../checker/core.js';
import type { Presentation, ShownStep } from '../checker/presentation.js';
import type { Trace } from '../checker/result.js';
import { replayInstances } from '../checker/trace.js';

/** mulberry32: a small seeded generator, so walk k of seed S is the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomWalks(cm: CompiledModel, presentation: Presentation, count: number, depth: number, seed: number): Trace[] {
  const steps = presentation.c?.steps ?? {};
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const succ = new Successors(core);
  const inits = cm.inits.filter((i) => core.initial(i));
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const traces: Trace[] = [];
  for (let k = 0; k < count; k++) {
    const init = pick(inits);
    core.initial(init);
    const path: number[] = [];
    // Every walk is as long as it can be: each step is checked, so a walk covers its prefixes.
    while (path.length < depth) {
      core.cur.set(core.next);
      core.successors(succ);
      // First an action, then one of its enabled instances: choosing among instances would favour
      // actions with many parameters (Open, SetFlag) and leave faults, loads and munmaps rare.
      const byAction = new Map<string, number[]>();
      let before: unknown;
      for (let q = 0; q < succ.count; q++) {
        const inst = cm.instances[succ.inst[q]!]!;
        const name = inst.name;
        const sc = steps[name];
        if (!sc) continue;
        if ('can' in sc && sc.can) {
          before ??= cm.layout.decode(core.cur);
          core.loadNext(succ.words, q * core.W);
          if (!sc.can({ action: name, params: cm.showParams(inst) as ShownStep['params'], before, after: cm.layout.decode(core.next) })) continue;
        }
        const qs = byAction.get(name);
        if (qs) qs.push(q); else byAction.set(name, [q]);
      }
      if (byAction.size === 0) break;
      const q = pick(pick([...byAction.values()]));
      core.loadNext(succ.words, q * core.W);
      path.push(succ.inst[q]!);
    }
    traces.push({ steps: replayInstances(cm, init, path.map((i) => cm.instances[i]!)), variables: cm.layout.slotNames });
  }
  return traces;
}
