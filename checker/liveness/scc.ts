// Strongly connected components of a subgraph of the state graph (Tarjan's
// algorithm, iterative so that a million-state component does not overflow
// the stack), and the search for a fair component (Emerson and Lei's
// fairness pruning):
//
// - every state may stutter (TLA+), so every component, a single state
//   included, carries a cycle;
// - a component C violates WF(A) when A is enabled in every state of C and
//   no A-step stays inside C: then no cycle inside C is WF-fair, and no
//   cycle in a part of C is either, so C is dropped;
// - a component violates SF(A) when A is enabled in some state of C but no
//   A-step stays inside C: a fair cycle in C must avoid the states where A
//   is enabled, so those are removed and the rest decomposed again;
// - a component that violates neither is fair: the cycle through all its
//   states and edges is fair (every group enabled infinitely often on it is
//   taken on it, and a WF group never taken is disabled at one of its
//   states). It is accepting when it holds a state of the acceptance set.
//
// "Enabled" and "taken" count only steps that change the state (WF_vars).

import type { FairnessGroup } from './compiled.js';
import type { StateGraph } from './graph.js';

/** Working arrays of one liveness check, sized to the graph. */
export class SccWork {
  /** Which set a state belongs to now (a stamp; see components). */
  readonly set: Int32Array;
  private readonly idx: Int32Array;
  private readonly low: Int32Array;
  private readonly cursor: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly calls: Int32Array;
  private stamp = 0;

  constructor(readonly g: StateGraph) {
    const n = g.states;
    this.set = new Int32Array(n);
    this.idx = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.cursor = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.calls = new Int32Array(n);
  }

  /** A fresh stamp; `mark` gives states the stamp, so `set[s] === stamp` is membership. */
  newSet(nodes: ArrayLike<number>): number {
    const t = ++this.stamp;
    for (let k = 0; k < nodes.length; k++) this.set[nodes[k]!] = t;
    return t;
  }

  /**
   * The components of the subgraph on `nodes` (all stamped `t`): their
   * states one component after the other in `states`, component k being
   * states[starts[k], starts[k + 1]) (one buffer, not an array per
   * component: most components of a state graph are single states).
   */
  components(nodes: ArrayLike<number>, t: number): { states: Int32Array; starts: Int32Array } {
    const { g, set, idx, low, cursor, onStack, stack, calls } = this;
    const states = new Int32Array(nodes.length);
    const starts: number[] = [0];
    let filled = 0;
    let counter = 0;
    let sp = 0;
    for (let r = 0; r < nodes.length; r++) {
      const root = nodes[r]!;
      if (idx[root] !== -1) continue;
      let cp = 0;
      idx[root] = low[root] = counter++;
      stack[sp++] = root; onStack[root] = 1; cursor[root] = g.first(root);
      calls[cp++] = root;
      while (cp > 0) {
        const v = calls[cp - 1]!;
        const e = cursor[v]!;
        if (e < g.end(v)) {
          cursor[v] = e + 1;
          const w = g.target(e);
          if (w === v || set[w] !== t) continue;
          if (idx[w] === -1) {
            idx[w] = low[w] = counter++;
            stack[sp++] = w; onStack[w] = 1; cursor[w] = g.first(w);
            calls[cp++] = w;
          } else if (onStack[w] === 1 && idx[w]! < low[v]!) low[v] = idx[w]!;
          continue;
        }
        cp--;
        if (low[v] === idx[v]) {
          let k = sp;
          do k--; while (stack[k] !== v);
          for (let j = k; j < sp; j++) { onStack[stack[j]!] = 0; states[filled++] = stack[j]!; }
          sp = k;
          starts.push(filled);
        }
        if (cp > 0) {
          const u = calls[cp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
    for (let r = 0; r < nodes.length; r++) idx[nodes[r]!] = -1;
    return { states, starts: Int32Array.from(starts) };
  }
}

/** Per group, over the states of a set stamped `t`: enabled in every state, in some state, and taken inside. */
export interface GroupUse { readonly everywhere: boolean; readonly somewhere: boolean; readonly taken: boolean }

export function groupUse(w: SccWork, nodes: ArrayLike<number>, t: number, groups: readonly FairnessGroup[]): GroupUse[] {
  const { g, set } = w;
  const n = groups.length;
  const everywhere = new Array<boolean>(n).fill(true);
  const somewhere = new Array<boolean>(n).fill(false);
  const taken = new Array<boolean>(n).fill(false);
  const here = new Uint8Array(n);
  for (let k = 0; k < nodes.length; k++) {
    const s = nodes[k]!;
    here.fill(0);
    for (let e = g.first(s); e < g.end(s); e++) {
      const to = g.target(e);
      if (to === s) continue;
      const inst = g.inst(e);
      for (let j = 0; j < n; j++) {
        if (groups[j]!.members[inst] !== 1) continue;
        here[j] = 1;
        if (set[to] === t) taken[j] = true;
      }
    }
    for (let j = 0; j < n; j++) { if (here[j]) somewhere[j] = true; else everywhere[j] = false; }
  }
  return groups.map((_, j) => ({ everywhere: everywhere[j]!, somewhere: somewhere[j]!, taken: taken[j]! }));
}

/**
 * The fair components inside `nodes` that hold a state where `accepting`
 * holds, each with its states stamped (set[s] === stamp); none when the
 * property holds. (All of them, so that the lasso can go to the nearest.)
 */
export function fairAcceptingComponents(
  w: SccWork, nodes: ArrayLike<number>, groups: readonly FairnessGroup[], accepting: (s: number) => boolean,
): { nodes: Int32Array; stamp: number }[] {
  const found: { nodes: Int32Array; stamp: number }[] = [];
  // Decompositions still to look at, each with the index of its next component.
  const pending: { states: Int32Array; starts: Int32Array; next: number }[] = [{ ...w.components(nodes, w.newSet(nodes)), next: 0 }];
  while (pending.length > 0) {
    const top = pending[pending.length - 1]!;
    if (top.next === top.starts.length - 1) { pending.pop(); continue; }
    const k = top.next++;
    const c = top.states.subarray(top.starts[k]!, top.starts[k + 1]!);
    let acc = false;
    for (let k = 0; k < c.length && !acc; k++) acc = accepting(c[k]!);
    if (!acc) continue;
    const t = w.newSet(c);
    const use = groupUse(w, c, t, groups);
    if (groups.some((gr, j) => !gr.strong && use[j]!.everywhere && !use[j]!.taken)) continue;
    const bad = groups.map((gr, j) => gr.strong && use[j]!.somewhere && !use[j]!.taken);
    if (!bad.includes(true)) { found.push({ nodes: c.slice(), stamp: t }); continue; }
    // Drop the states where an SF group that is never taken inside is enabled; decompose the rest.
    const keep = Array.from(c).filter((s) => !enabledAt(w.g, s, groups, bad));
    if (keep.length > 0) pending.push({ ...w.components(keep, w.newSet(keep)), next: 0 });
  }
  return found;
}

/** Whether some group marked in `which` can change state s. */
export function enabledAt(g: StateGraph, s: number, groups: readonly FairnessGroup[], which: readonly boolean[]): boolean {
  for (let e = g.first(s); e < g.end(s); e++) {
    if (g.target(e) === s) continue;
    const inst = g.inst(e);
    for (let j = 0; j < groups.length; j++) if (which[j] && groups[j]!.members[inst] === 1) return true;
  }
  return false;
}
