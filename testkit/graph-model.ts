// A model whose states are the nodes of a given graph, for the liveness
// tests: state `n`, one action per edge label (its instances are the edges
// with that label), and one liveness property over node sets.

import { indexSet, int, record } from '../checker/domain.js';
import { defineModel, type Fairness, type TemporalFormula } from '../checker/model.js';
import type { Trace } from '../checker/result.js';

export interface GraphEdge { readonly from: number; readonly to: number; readonly action: string }
export type FormulaOp = TemporalFormula['op'];
export interface GraphSpec {
  readonly nodes: number;
  readonly inits: readonly number[];
  readonly edges: readonly GraphEdge[];
  readonly op: FormulaOp;
  /** The nodes where P holds (and Q, for a leadsTo). */
  readonly p: readonly number[];
  readonly q?: readonly number[];
  readonly fairness?: readonly Fairness[];
}

export function graphModel(g: GraphSpec) {
  const schema = record({ n: int(0, Math.max(1, g.nodes - 1)) });
  const actionNames = [...new Set(g.edges.map((e) => e.action))];
  const actions: Record<string, any> = {};
  for (const a of actionNames) {
    const mine = g.edges.filter((e) => e.action === a);
    actions[a] = {
      params: { e: indexSet('e', mine.length) },
      guard: (s: { n: number }, { e }: { e: number }) => s.n === mine[e]!.from,
      effect: (s: { n: number }, { e }: { e: number }) => { s.n = mine[e]!.to; },
    };
  }
  const P = (s: { n: number }) => g.p.includes(s.n);
  const Q = (s: { n: number }) => (g.q ?? []).includes(s.n);
  const formula = g.op === 'leadsTo' ? { op: g.op, p: P, q: Q } : { op: g.op, p: P };
  return defineModel({
    name: 'graph', summary: 'a given graph', constants: {}, defaultDesign: 'd', designs: { d: { summary: '' } },
    build: () => ({
      schema,
      init: { params: { i: indexSet('i', g.inits.length) }, effect: (s: { n: number }, { i }: { i: number }) => { s.n = g.inits[i]!; } },
      actions,
      properties: { Live: { kind: 'liveness', formula, fairness: g.fairness ?? [] } as any },
      checkDeadlock: false,
    }),
  });
}

/** The nodes and the edges (as action names) a lasso trace visits. */
export function lassoNodes(t: Trace): { nodes: number[]; actions: string[]; params: number[] } {
  return {
    nodes: t.steps.map((s) => (s.state as { n: number }).n),
    actions: t.steps.slice(1).map((s) => s.action),
    params: t.steps.slice(1).map((s) => Number(String(s.params.e).replace(/^e/, '')) - 1),
  };
}
