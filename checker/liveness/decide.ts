// Deciding a liveness property over the complete state graph. Each formula
// is violated exactly when some fair behaviour (fair.ts's sense, with
// stuttering) ends in a cycle of its "bad" automaton state, so each is a
// search for a fair accepting component of the graph restricted to a
// region, entered from a set of states:
//
//   formula   the behaviour stays in   entered at                        accepting
//   <>P       ~P                       an initial state with ~P          any state
//   P ~> Q    ~Q                       a state with P /\ ~Q              any state
//   []<>P     ~P                       any state with ~P                 any state
//   <>[]P     every state              an initial state                  a state with ~P
//
// (The product of the graph with the two-state automaton of each formula:
// the region is the automaton's waiting state, which it never leaves once
// entered; a fair cycle inside it that meets the acceptance set is a
// violation, and every violation ends in one.) The lasso is then the way in
// (lasso.ts).

import type { StateGraph } from './graph.js';
import type { CompiledLiveness } from './compiled.js';
import { fairAcceptingComponents, type SccWork } from './scc.js';

export interface Region {
  readonly inRegion: (s: number) => boolean;
  readonly entry: (s: number) => boolean;
  readonly accepting: (s: number) => boolean;
  /** Entries are initial states only (else any reachable state). */
  readonly fromInitial: boolean;
}

export interface Violation {
  /** Which copy of the formula (forEach index). */
  readonly copy: number;
  readonly region: Region;
  /** The fair accepting components, each stamped (set[s] === stamp), disjoint. */
  readonly components: readonly { readonly nodes: Int32Array; readonly stamp: number }[];
  /** The states of the region reached from its entries (stamped `reachStamp`). */
  readonly reachStamp: number;
}

export interface Decision {
  readonly violation?: Violation;
  /** For P ~> Q: whether any state has P (else the property holds vacuously). */
  readonly triggerReached?: boolean;
}

export function regionOf(g: StateGraph, prop: CompiledLiveness, labelAt: number, copy: number, isInitial: (s: number) => boolean): Region {
  const op = prop.def.formula.op;
  const perCopy = op === 'leadsTo' ? 2 : 1;
  const P = labelAt + copy * perCopy;
  const p = (s: number) => g.holds(P, s);
  switch (op) {
    case 'eventually': return { inRegion: (s) => !p(s), entry: (s) => isInitial(s) && !p(s), accepting: () => true, fromInitial: true };
    case 'leadsTo': {
      const q = (s: number) => g.holds(P + 1, s);
      return { inRegion: (s) => !q(s), entry: (s) => p(s) && !q(s), accepting: () => true, fromInitial: false };
    }
    case 'alwaysEventually': return { inRegion: (s) => !p(s), entry: (s) => !p(s), accepting: () => true, fromInitial: false };
    case 'eventuallyAlways': return { inRegion: () => true, entry: isInitial, accepting: (s) => !p(s), fromInitial: true };
  }
}

export function decide(w: SccWork, prop: CompiledLiveness, labelAt: number, isInitial: (s: number) => boolean): Decision {
  const g = w.g;
  const n = g.states;
  let triggerReached = false;
  for (let copy = 0; copy < prop.copies; copy++) {
    const whole = regionOf(g, prop, labelAt, copy, isInitial);
    // Only states expanded with all their edges: a cycle among them is a real one (a cut-short search finds no false one).
    const region: Region = { ...whole, inRegion: (s) => g.full(s) && whole.inRegion(s), entry: (s) => g.full(s) && whole.entry(s) };
    if (prop.def.formula.op === 'leadsTo') {
      const P = labelAt + copy * 2;
      for (let s = 0; s < n && !triggerReached; s++) triggerReached = g.holds(P, s);
    }
    // The region's states reached from its entries, inside the region.
    const reached: number[] = [];
    const reachStamp = w.newSet([]);
    for (let s = 0; s < n; s++) if (region.entry(s) && w.set[s] !== reachStamp) { w.set[s] = reachStamp; reached.push(s); }
    for (let k = 0; k < reached.length; k++) {
      const s = reached[k]!;
      for (let e = g.first(s); e < g.end(s); e++) {
        const t = g.target(e);
        if (w.set[t] !== reachStamp && region.inRegion(t)) { w.set[t] = reachStamp; reached.push(t); }
      }
    }
    if (reached.length === 0) continue;
    reached.sort((a, b) => a - b);
    const found = fairAcceptingComponents(w, reached, prop.groups, region.accepting);
    // The search restamps the states it looks at; the rest of the region's reach is stamped again for the lasso.
    if (found.length > 0) {
      const fair = new Set(found.map((c) => c.stamp));
      const again = w.newSet([]);
      for (const s of reached) if (!fair.has(w.set[s]!)) w.set[s] = again;
      return { violation: { copy, region, components: found, reachStamp: again }, triggerReached: true };
    }
  }
  return prop.def.formula.op === 'leadsTo' ? { triggerReached } : {};
}
