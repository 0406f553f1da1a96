// The counterexample to a liveness property: a lasso, a prefix from an
// initial state into the fair component decide.ts found, then a cycle inside
// it that shows the fairness holding by itself (it takes every group that is
// enabled at all its states, or passes a state where that group is disabled;
// it takes every strong group enabled on it) and passes an accepting state.
//
// The prefix is a breadth-first path inside the property's region from its
// entries, taken in id order (which is breadth-first depth order), and an
// entry that is not initial is reached along the search's parent links, so
// it is the shortest one into the region when the entries are the initial
// states or the region holds every state.
//
// The steps end in the state the cycle starts at again, so the lasso's loop
// index is that state's index and its last step returns there; a cycle with
// no step is stuttering in that state forever.

import type { Links } from '../trace.js';
import { NO_PARENT } from '../store.js';
import type { FairnessGroup } from './compiled.js';
import type { Violation } from './decide.js';
import type { StateGraph } from './graph.js';
import { groupUse, type SccWork } from './scc.js';

export interface Lasso {
  /** The initial state's Init instance. */
  readonly init: number;
  /** The action instances from the initial state on. */
  readonly path: readonly number[];
  /** The index (0 = the initial state) of the state the cycle starts and ends at. */
  readonly loopIndex: number;
}

export function lassoOf(w: SccWork, v: Violation, groups: readonly FairnessGroup[], links: Links): Lasso {
  const g = w.g;
  const n = g.states;
  const prev = new Int32Array(n);
  const prevInst = new Int32Array(n);
  const seen = new Int32Array(n);
  let visit = 0;
  const fairStamps = new Set(v.components.map((c) => c.stamp));
  const inAnyFair = (s: number) => fairStamps.has(w.set[s]!);
  const inReach = (s: number) => w.set[s] === v.reachStamp || inAnyFair(s);

  /** Breadth-first from `sources` over states `allowed`, to the first one `goal` accepts; its hops (instance, state) in order. */
  const bfs = (sources: readonly number[], allowed: (s: number) => boolean, goal: (s: number) => boolean): { from: number; hops: [number, number][] } => {
    visit++;
    const queue: number[] = [];
    for (const s of sources) if (seen[s] !== visit) { seen[s] = visit; prev[s] = -1; queue.push(s); }
    for (let k = 0; k < queue.length; k++) {
      const s = queue[k]!;
      if (goal(s)) {
        const hops: [number, number][] = [];
        let at = s;
        while (prev[at] !== -1) { hops.push([prevInst[at]!, at]); at = prev[at]!; }
        return { from: at, hops: hops.reverse() };
      }
      for (let e = g.first(s); e < g.end(s); e++) {
        const t = g.target(e);
        if (seen[t] === visit || !allowed(t)) continue;
        seen[t] = visit; prev[t] = s; prevInst[t] = g.inst(e); queue.push(t);
      }
    }
    throw new Error('liveness: no path to the fair component (a bug in the lasso construction)');
  };

  // ---- the prefix --------------------------------------------------------------
  const entries: number[] = [];
  for (let s = 0; s < n; s++) if (inReach(s) && v.region.entry(s)) entries.push(s);
  const into = bfs(entries, inReach, inAnyFair);
  const toEntry: number[] = [];
  let root = into.from;
  while (links.parent(root) !== NO_PARENT) { toEntry.push(links.action(root)); root = links.parent(root); }
  const path = [...toEntry.reverse(), ...into.hops.map(([i]) => i)];
  const start = into.hops.length ? into.hops[into.hops.length - 1]![1] : into.from;
  const loopIndex = path.length;
  const comp = v.components.find((c) => c.stamp === w.set[start])!;
  const inComp = (s: number) => w.set[s] === comp.stamp;

  // ---- the cycle -----------------------------------------------------------------
  const use = groupUse(w, comp.nodes, comp.stamp, groups);
  type Target = { state: (s: number) => boolean } | { edge: number; group: FairnessGroup };
  const targets: Target[] = [];
  if (!v.region.accepting(start)) targets.push({ state: v.region.accepting });
  groups.forEach((gr, j) => {
    const u = use[j]!;
    const needStep = gr.strong ? u.somewhere : u.everywhere;
    if (needStep) targets.push({ edge: edgeOf(g, comp.nodes, inComp, gr), group: gr });
    else if (!gr.strong) targets.push({ state: (s) => !enabledHere(g, s, gr) });
  });
  let cur = start;
  const cycle: number[] = [];
  // What the cycle has passed so far, so that a target it already meets costs no detour.
  const visited = [start];
  const steps: number[] = [];
  const take = (inst: number, to: number) => { cycle.push(inst); if (to !== cur) steps.push(inst); cur = to; visited.push(to); };
  const walkTo = (goal: (s: number) => boolean) => {
    const r = bfs([cur], inComp, goal);
    for (const [i, s] of r.hops) take(i, s);
  };
  for (const t of targets) {
    if ('state' in t) { if (!visited.some(t.state)) walkTo(t.state); } else if (!steps.some((i) => t.group.members[i] === 1)) {
      const e = t.edge;
      const src = sourceOf(g, comp.nodes, e);
      walkTo((s) => s === src);
      take(g.inst(e), g.target(e));
    }
  }
  if (cur !== start) walkTo((s) => s === start);
  return { init: links.action(root), path: [...path, ...cycle], loopIndex };
}

function enabledHere(g: StateGraph, s: number, gr: FairnessGroup): boolean {
  for (let e = g.first(s); e < g.end(s); e++) if (g.target(e) !== s && gr.members[g.inst(e)] === 1) return true;
  return false;
}

/** An edge of the group that stays inside the component and changes the state. */
function edgeOf(g: StateGraph, comp: Int32Array, inComp: (s: number) => boolean, gr: FairnessGroup): number {
  for (const s of comp) {
    for (let e = g.first(s); e < g.end(s); e++) {
      const t = g.target(e);
      if (t !== s && inComp(t) && gr.members[g.inst(e)] === 1) return e;
    }
  }
  throw new Error(`liveness: the fair component takes no step of ${gr.label} (a bug in the fairness check)`);
}

function sourceOf(g: StateGraph, comp: Int32Array, e: number): number {
  for (const s of comp) if (e >= g.first(s) && e < g.end(s)) return s;
  throw new Error('liveness: an edge outside the component');
}
