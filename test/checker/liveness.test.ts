// Liveness: hand-derived verdicts and lassos on small graphs (with and
// without fairness, where fairness changes the answer), and the checker
// against a brute-force reference on random graphs.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { type Fairness, strongFairness, weakFairness } from '../../checker/model.js';
import type { PropertyResult } from '../../checker/result.js';
import { check } from '../../checker/search.js';
import { type FormulaOp, type GraphEdge, type GraphSpec, graphModel, lassoNodes } from '../../testkit/graph-model.js';

function verdict(g: GraphSpec, opts: Parameters<typeof check>[1] = {}): PropertyResult {
  const r = check(compile(graphModel(g), undefined), opts);
  return r.properties.find((p) => p.name === 'Live')!;
}

const e = (from: number, to: number, action: string): GraphEdge => ({ from, to, action });

describe('liveness on hand-derived graphs', () => {
  it('<>P: stuttering violates it without fairness; WF of the one step makes it hold', () => {
    const g: GraphSpec = { nodes: 2, inits: [0], edges: [e(0, 1, 'Go')], op: 'eventually', p: [1] };
    const bad = verdict(g);
    expect(bad.status).toBe('violated');
    expect(lassoNodes(bad.trace!).nodes).toEqual([0]);
    expect(bad.trace!.loopIndex).toBe(0);
    expect(verdict({ ...g, fairness: [weakFairness('Go')] }).status).toBe('holds');
  });

  // 0 -A-> 1 -B-> 0, and 0 -C-> 2 where P holds. C is enabled at 0 only.
  const escape: GraphSpec = { nodes: 3, inits: [0], edges: [e(0, 1, 'A'), e(1, 0, 'B'), e(0, 2, 'C')], op: 'eventually', p: [2] };
  it('<>P: weak fairness of an action enabled only now and then lets the cycle avoid it; strong fairness does not', () => {
    const weak = verdict({ ...escape, fairness: [weakFairness('A'), weakFairness('B'), weakFairness('C')] });
    expect(weak.status).toBe('violated');
    expect(lassoNodes(weak.trace!).nodes).toEqual([0, 1, 0]);
    expect(weak.trace!.loopIndex).toBe(0);
    expect(verdict({ ...escape, fairness: [weakFairness('B'), strongFairness('C')] }).status).toBe('holds');
    // Without WF(B) the behaviour may stutter at 1 forever, where C is not enabled.
    const stuck = verdict({ ...escape, fairness: [strongFairness('C')] });
    expect(stuck.status).toBe('violated');
    expect(lassoNodes(stuck.trace!).nodes).toEqual([0, 1]);
    expect(stuck.trace!.loopIndex).toBe(1);
  });

  // 0 -T(e1)-> 1, 0 -T(e2)-> 2, 1 -B-> 0, 2 -B-> 0; P at 2.
  const choice: GraphSpec = { nodes: 3, inits: [0], edges: [e(0, 1, 'T'), e(0, 2, 'T'), e(1, 0, 'B'), e(2, 0, 'B')], op: 'eventually', p: [2] };
  it('fairness per action instance: SF(T(e2)) forces the other branch, SF(T) as a whole does not', () => {
    const whole = verdict({ ...choice, fairness: [weakFairness('B'), strongFairness('T')] });
    expect(whole.status).toBe('violated');
    expect(lassoNodes(whole.trace!).nodes).toEqual([0, 1, 0]);
    expect(verdict({ ...choice, fairness: [weakFairness('B'), strongFairness('T', { perInstance: true })] }).status).toBe('holds');
    expect(verdict({ ...choice, fairness: [weakFairness('B'), strongFairness('T', { params: { e: 1 } })] }).status).toBe('holds');
    // WF(T(e2)) is not enough: T(e2) is disabled at 1 on every round.
    expect(verdict({ ...choice, fairness: [weakFairness('B'), weakFairness('T', { perInstance: true })] }).status).toBe('violated');
  });

  // 0 -A-> 1 -B-> 0, 1 -D-> 2 -E-> 1, and 1 -C-> 3 where P holds: one component {0, 1, 2}.
  const split: GraphSpec = { nodes: 4, inits: [0], edges: [e(0, 1, 'A'), e(1, 0, 'B'), e(1, 2, 'D'), e(2, 1, 'E'), e(1, 3, 'C')], op: 'eventually', p: [3] };
  it('strong fairness prunes: the states where SF(C) is enabled go, and what is left is decomposed again', () => {
    // SF(C) removes 1; {0} is unfair for WF(A), {2} for WF(E): no fair cycle avoids P.
    expect(verdict({ ...split, fairness: [strongFairness('C'), weakFairness('A'), weakFairness('E')] }).status).toBe('holds');
    // Without WF(E), stuttering at 2 is fair: the lasso goes there by the shortest way.
    const r = verdict({ ...split, fairness: [strongFairness('C'), weakFairness('A')] });
    expect(r.status).toBe('violated');
    expect(lassoNodes(r.trace!).nodes).toEqual([0, 1, 2]);
    expect(r.trace!.loopIndex).toBe(2);
  });

  it('P ~> Q: the lasso starts at the trigger; a trigger never reached is vacuous', () => {
    // 0 -> 1 (P) -> 2 -> 3 (Q); 2 may loop back to 1.
    const g: GraphSpec = { nodes: 4, inits: [0], edges: [e(0, 1, 'A'), e(1, 2, 'A'), e(2, 3, 'B'), e(2, 1, 'C')], op: 'leadsTo', p: [1], q: [3] };
    const r = verdict({ ...g, fairness: [weakFairness('A'), weakFairness('C')] });
    expect(r.status).toBe('violated');
    expect(lassoNodes(r.trace!).nodes).toEqual([0, 1, 2, 1]);
    expect(r.trace!.loopIndex).toBe(1);
    expect(verdict({ ...g, fairness: [weakFairness('A'), strongFairness('B')] }).status).toBe('holds');
    const vac = verdict({ ...g, p: [], fairness: [] });
    expect(vac.status).toBe('vacuous');
    expect(vac.triggerNeverReached).toBe('P');
    expect(vac.vacuousBecause).toBeUndefined();
  });

  it('[]<>P and <>[]P on a two-state cycle', () => {
    const g: GraphSpec = { nodes: 2, inits: [0], edges: [e(0, 1, 'A'), e(1, 0, 'B')], op: 'alwaysEventually', p: [1] };
    const r = verdict(g);
    expect(r.status).toBe('violated');
    expect(lassoNodes(r.trace!).nodes).toEqual([0]);
    expect(verdict({ ...g, fairness: [weakFairness('A'), weakFairness('B')] }).status).toBe('holds');
    const ea = verdict({ ...g, op: 'eventuallyAlways', p: [0], fairness: [weakFairness('A'), weakFairness('B')] });
    expect(ea.status).toBe('violated');
    expect(lassoNodes(ea.trace!).nodes).toEqual([0, 1, 0]);
    expect(ea.trace!.loopIndex).toBe(0);
    // Without fairness it may stay at 0 forever, but also at 1: violated by stuttering at 1.
    const st = verdict({ ...g, op: 'eventuallyAlways', p: [0] });
    expect(st.status).toBe('violated');
  });

  it('a run cut short never says a liveness property holds', () => {
    const g: GraphSpec = { nodes: 3, inits: [0], edges: [e(0, 1, 'A'), e(1, 2, 'A')], op: 'eventually', p: [2], fairness: [weakFairness('A')] };
    expect(verdict(g).status).toBe('holds');
    // State 1 sits at the bound with no edges recorded: stuttering there is no counterexample.
    expect(verdict(g, { maxDepth: 1 }).status).toBe('bounded');
    // Without fairness, stuttering at 0 is a real counterexample, among fully expanded states: found all the same.
    const cut = verdict({ ...g, fairness: [] }, { maxDepth: 1 });
    expect(cut.status).toBe('violated');
    expect(lassoNodes(cut.trace!).nodes).toEqual([0]);
  });

  it('a cut-short run reports only lassos whose states were all expanded (random graphs, depth bounds)', () => {
    fc.assert(fc.property(graphArb, fc.integer({ min: 0, max: 3 }), (g, depth) => {
      const full = verdict(g);
      const cut = verdict(g, { maxDepth: depth });
      if (cut.status === 'violated') {
        expect(full.status).toBe('violated');
        assertLasso(g, g.fairness, cut);
      } else if (cut.status !== 'bounded') expect(cut.status).toBe(full.status);
    }), { numRuns: 300 });
  });

  it('--avoid-action refuses a named liveness property, and leaves an unnamed one out saying so', () => {
    const cm = compile(graphModel({ nodes: 2, inits: [0], edges: [e(0, 1, 'A')], op: 'eventually', p: [1] }), undefined);
    expect(() => check(cm, { avoidActions: ['A'], properties: ['Live'] })).toThrow(/^liveness properties \(Live\) are checked over the whole state graph; drop --avoid-action$/);
    const r = check(cm, { avoidActions: ['A'] });
    expect(r.properties.some((p) => p.name === 'Live')).toBe(false);
    expect(r.livenessSkipped).toBe('liveness properties (Live) not checked: they need the whole state graph (no --avoid-action)');
  });

  it('--dfs checks liveness over the graph it records: the verdicts above', () => {
    const r = verdict(escape, { strategy: 'dfs' });
    expect(r.status).toBe('violated');
    expect(lassoNodes(r.trace!).nodes).toEqual([0]);
    expect(verdict({ ...escape, fairness: [weakFairness('B'), strongFairness('C')] }, { strategy: 'dfs' }).status).toBe('holds');
    // Depth-first, state 2 is expanded before state 1 (C's successor is pushed last, so it is popped first):
    // the rows are recorded out of id order, and the verdict and lasso are those of the breadth-first search.
    const weak = verdict({ ...escape, fairness: [weakFairness('A'), weakFairness('B'), weakFairness('C')] }, { strategy: 'dfs' });
    expect(weak.status).toBe('violated');
    expect(lassoNodes(weak.trace!).nodes).toEqual([0, 1, 0]);
  });
});

// ---- the reference: every node set that could be a fair cycle's, by brute force ----

interface Instance { action: string; index: number; from: number; to: number }

function reference(g: GraphSpec, fairness: readonly Fairness[]): boolean {
  const insts: Instance[] = [];
  const byAction = new Map<string, number>();
  for (const ed of g.edges) {
    const k = byAction.get(ed.action) ?? 0;
    byAction.set(ed.action, k + 1);
    insts.push({ action: ed.action, index: k, from: ed.from, to: ed.to });
  }
  const groups: { strong: boolean; members: Set<Instance> }[] = [];
  for (const f of fairness) {
    const mine = insts.filter((i) => i.action === f.action);
    const parts = f.perInstance ? mine.map((i) => [i]) : [mine];
    for (const part of parts) groups.push({ strong: f.kind === 'strong', members: new Set(part) });
  }
  const P = (n: number) => g.p.includes(n);
  const Q = (n: number) => (g.q ?? []).includes(n);
  const reach = (from: number[], ok: (n: number) => boolean) => {
    const seen = new Set(from.filter(ok));
    const todo = [...seen];
    while (todo.length) {
      const n = todo.pop()!;
      for (const i of insts) if (i.from === n && ok(i.to) && !seen.has(i.to)) { seen.add(i.to); todo.push(i.to); }
    }
    return seen;
  };
  const all = reach([...g.inits], () => true);
  const region = (n: number) => (g.op === 'eventually' || g.op === 'alwaysEventually' ? !P(n) : g.op === 'leadsTo' ? !Q(n) : true);
  const entries = g.op === 'eventually' || g.op === 'eventuallyAlways' ? [...g.inits] : [...all].filter((n) => (g.op === 'leadsTo' ? P(n) && !Q(n) : !P(n)));
  const inReach = reach(entries, region);
  const accepting = (n: number) => (g.op === 'eventuallyAlways' ? !P(n) : true);
  const nodes = [...inReach];
  for (let mask = 1; mask < 1 << nodes.length; mask++) {
    const S = new Set(nodes.filter((_, k) => mask & (1 << k)));
    const inside = insts.filter((i) => S.has(i.from) && S.has(i.to) && i.from !== i.to);
    // strongly connected over its own edges (a single node: by stuttering)
    const first = [...S][0]!;
    const fwd = new Set([first]);
    for (let grew = true; grew;) { grew = false; for (const i of inside) if (fwd.has(i.from) && !fwd.has(i.to)) { fwd.add(i.to); grew = true; } }
    const bwd = new Set([first]);
    for (let grew = true; grew;) { grew = false; for (const i of inside) if (bwd.has(i.to) && !bwd.has(i.from)) { bwd.add(i.from); grew = true; } }
    if (fwd.size !== S.size || bwd.size !== S.size) continue;
    if (![...S].some(accepting)) continue;
    const enabledAt = (gr: (typeof groups)[number], n: number) => insts.some((i) => i.from === n && i.to !== n && gr.members.has(i));
    const fair = groups.every((gr) => {
      const taken = inside.some((i) => gr.members.has(i));
      if (taken) return true;
      return gr.strong ? ![...S].some((n) => enabledAt(gr, n)) : ![...S].every((n) => enabledAt(gr, n));
    });
    if (fair) return true;
  }
  return false;
}

/** The lasso really is a counterexample: a path, closing, fair on its cycle, and violating the formula. */
function assertLasso(g: GraphSpec, fairness: readonly Fairness[], r: PropertyResult): void {
  const t = r.trace!;
  const { nodes, actions, params } = lassoNodes(t);
  const loop = t.loopIndex!;
  expect(g.inits).toContain(nodes[0]);
  const edgesOf = (a: string) => g.edges.filter((x) => x.action === a);
  actions.forEach((a, k) => {
    const ed = edgesOf(a)[params[k]!]!;
    expect([ed.from, ed.to]).toEqual([nodes[k], nodes[k + 1]]);
  });
  expect(nodes[nodes.length - 1]).toBe(nodes[loop]);
  const cycleNodes = nodes.slice(loop);
  const cycleSteps = actions.slice(loop).map((a, k) => ({ a, e: params[loop + k]!, from: nodes[loop + k]!, to: nodes[loop + k + 1]! }));
  for (const f of fairness) {
    const mine = g.edges.map((ed, k) => ({ ed, k })).filter(({ ed }) => ed.action === f.action);
    const idx = (k: number) => g.edges.slice(0, k).filter((x) => x.action === f.action).length;
    const parts = f.perInstance ? mine.map((m) => [idx(m.k)]) : [mine.map((m) => idx(m.k))];
    for (const part of parts) {
      const enabled = (n: number) => part.some((i) => { const ed = edgesOf(f.action)[i]!; return ed.from === n && ed.to !== n; });
      const taken = cycleSteps.some((s) => s.a === f.action && part.includes(s.e) && s.from !== s.to);
      if (f.kind === 'strong' ? cycleNodes.some(enabled) : cycleNodes.every(enabled)) expect(taken).toBe(true);
    }
  }
  const P = (n: number) => g.p.includes(n);
  const Q = (n: number) => (g.q ?? []).includes(n);
  switch (g.op) {
    case 'eventually': expect(nodes.every((n) => !P(n))).toBe(true); break;
    case 'leadsTo': expect(nodes.some((n, k) => P(n) && !Q(n) && k <= loop && nodes.slice(k).every((m) => !Q(m)))).toBe(true); break;
    case 'alwaysEventually': expect(cycleNodes.every((n) => !P(n))).toBe(true); break;
    case 'eventuallyAlways': expect(cycleNodes.some((n) => !P(n))).toBe(true); break;
  }
}

const graphArb: fc.Arbitrary<GraphSpec & { fairness: Fairness[] }> = fc.integer({ min: 1, max: 5 }).chain((nodes) => {
  const node = fc.integer({ min: 0, max: nodes - 1 });
  const nodeSet = fc.uniqueArray(node, { maxLength: nodes });
  return fc.record({
    nodes: fc.constant(nodes),
    inits: fc.uniqueArray(node, { minLength: 1, maxLength: 2 }),
    edges: fc.array(fc.record({ from: node, to: node, action: fc.constantFrom('A', 'B', 'C') }), { maxLength: 9 }),
    op: fc.constantFrom<FormulaOp>('eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways'),
    p: nodeSet,
    q: nodeSet,
    fairness: fc.uniqueArray(fc.record({
      kind: fc.constantFrom<'weak' | 'strong'>('weak', 'strong'),
      action: fc.constantFrom('A', 'B', 'C'),
      perInstance: fc.boolean(),
    }), { maxLength: 3, selector: (f) => `${f.kind}${f.action}` }),
  });
}).map((g) => ({ ...g, fairness: g.fairness.filter((f) => g.edges.some((x) => x.action === f.action)) }))
  .filter((g) => g.edges.length > 0);

describe('liveness against a brute-force reference on random graphs', () => {
  it('same verdict as the search over every node set; every lasso is a real counterexample', () => {
    fc.assert(fc.property(graphArb, (g) => {
      const r = verdict(g);
      const expected = reference(g, g.fairness);
      expect(r.status === 'violated', JSON.stringify(g)).toBe(expected);
      if (expected) assertLasso(g, g.fairness, r);
      // Depth-first: the same verdict over the same graph recorded in another order, and a real lasso (not always the shortest).
      const dfs = verdict(g, { strategy: 'dfs' });
      expect(dfs.status, JSON.stringify(g)).toBe(r.status);
      if (expected) assertLasso(g, g.fairness, dfs);
    }), { numRuns: 400 });
  });

  it('depth-first with a depth bound: a violation only when there is one, never "holds" when cut', () => {
    fc.assert(fc.property(graphArb, fc.integer({ min: 0, max: 3 }), (g, depth) => {
      const cut = verdict(g, { strategy: 'dfs', maxDepth: depth });
      if (cut.status === 'violated') {
        expect(reference(g, g.fairness)).toBe(true);
        assertLasso(g, g.fairness, cut);
      } else if (cut.status !== 'bounded') expect(cut.status).toBe(verdict(g).status);
    }), { numRuns: 300 });
  });
});
