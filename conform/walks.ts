// The traces a conformance run performs: random walks of the model on the
// transition core, taking only steps a program can perform or force (the
// actions the model's C reproducer maps, where it says it can), seeded so
// that a run can be repeated step for step, and by default guided towards
// the branches the walks so far took least.

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

/**
 * What a step covers: its action and which state slots it changed, so that
 * one action's different kernel paths (a close that releases the file and one
 * that does not, an open that is refused) count apart.
 */
function branchOf(action: string, cur: Int32Array, next: Int32Array): string {
  let changed = '';
  for (let i = 0; i < cur.length; i++) if (cur[i] !== next[i]) changed += `${i},`;
  return `${action}:${changed}`;
}

/** How walks choose: uniformly (an action, then one of its instances), or favouring branches taken least so far. */
export type WalkChoice = 'uniform' | 'coverage';

export interface Walks {
  readonly traces: Trace[];
  /** Distinct branches (action and changed slots) the walks took. */
  readonly branches: number;
  readonly actions: number;
}

export function randomWalks(cm: CompiledModel, presentation: Presentation, count: number, depth: number, seed: number, choice: WalkChoice = 'coverage'): Trace[] {
  return walks(cm, presentation, count, depth, seed, choice).traces;
}

/**
 * Seeded walks. `coverage` weighs each branch enabled at a step by
 * 1 / (1 + times it was taken)², over all walks so far, so rare paths (a
 * refused open, a munmap that releases, a fault) come early and often;
 * `uniform` picks an action, then one of its instances.
 */
export function walks(cm: CompiledModel, presentation: Presentation, count: number, depth: number, seed: number, choice: WalkChoice = 'coverage'): Walks {
  const steps = presentation.c?.steps ?? {};
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const succ = new Successors(core);
  const inits = cm.inits.filter((i) => core.initial(i));
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const taken = new Map<string, number>();
  const actions = new Set<string>();
  const traces: Trace[] = [];
  for (let k = 0; k < count; k++) {
    const init = pick(inits);
    core.initial(init);
    const path: number[] = [];
    // Every walk is as long as it can be: each step is checked, so a walk covers its prefixes.
    while (path.length < depth) {
      core.cur.set(core.next);
      core.successors(succ);
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
      let q: number;
      let branch: string | undefined;
      if (choice === 'uniform') {
        // First an action, then one of its enabled instances: choosing among instances would favour
        // actions with many parameters (Open, SetFlag) and leave faults, loads and munmaps rare.
        q = pick(pick([...byAction.values()]));
      } else {
        const qs = [...byAction.values()].flat();
        const here = qs.map((c) => {
          core.loadNext(succ.words, c * core.W);
          return { c, b: branchOf(cm.instances[succ.inst[c]!]!.name, core.cur, core.next) };
        });
        // Each branch enabled here gets one share, split among its instances, so that an action
        // with many parameters does not crowd out one with few.
        const sharing = new Map<string, number>();
        for (const x of here) sharing.set(x.b, (sharing.get(x.b) ?? 0) + 1);
        const weights = here.map((x) => ({ ...x, w: 1 / (1 + (taken.get(x.b) ?? 0)) ** 2 / sharing.get(x.b)! }));
        let r = random() * weights.reduce((sum, x) => sum + x.w, 0);
        const chosen = weights.find((x) => (r -= x.w) < 0) ?? weights[weights.length - 1]!;
        q = chosen.c;
        branch = chosen.b;
      }
      core.loadNext(succ.words, q * core.W);
      branch ??= branchOf(cm.instances[succ.inst[q]!]!.name, core.cur, core.next);
      taken.set(branch, (taken.get(branch) ?? 0) + 1);
      actions.add(cm.instances[succ.inst[q]!]!.name);
      path.push(succ.inst[q]!);
    }
    traces.push({ steps: replayInstances(cm, init, path.map((i) => cm.instances[i]!)), variables: cm.layout.slotNames });
  }
  return { traces, branches: taken.size, actions: actions.size };
}
