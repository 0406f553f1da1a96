// The liveness row of `npm run bench`: the benchmark model with one leads-to
// property added beside its invariant, so that the cost of recording the
// state graph and deciding a temporal property is measured against the
// safety-only run of the same model (issue 11 asks for at most 3x). The
// benchmark's definition (bench/dax-modes-bench.md) stays as it is: the
// property lives here, not in spec/bench.
//
//   UnusedInodeGoes: cached(f1) ~> ~cached(f1) \/ Referenced(f1), under SF_vars(Evict(f)) for each f

import { leadsTo, strongFairness, type ModelDef } from '../checker/model.js';
import { benchModel } from '../spec/bench/index.js';

/** What the property reads of the benchmark's state (spec/bench/index.ts schemaFor). */
interface BenchState { readonly cached: Int32Array; readonly open: readonly Int32Array[]; readonly vma: readonly Int32Array[] }

export const LEADS_TO = 'UnusedInodeGoes';

export function withLeadsTo(model: ModelDef<any, any, any>): ModelDef<any, any, any> {
  return {
    ...model,
    build: (c, d) => {
      const parts = model.build(c, d);
      const referenced = (s: BenchState) => s.open.some((o) => o[0] === 1) || s.vma.some((v) => v[0] !== 0);
      return {
        ...parts,
        properties: {
          ...parts.properties,
          [LEADS_TO]: {
            kind: 'liveness',
            doc: 'an unused cached inode is eventually evicted or used again',
            formula: leadsTo((s) => (s as unknown as BenchState).cached[0] === 1, (s) => (s as unknown as BenchState).cached[0] === 0 || referenced(s as unknown as BenchState)),
            fairness: [strongFairness('Evict', { perInstance: true })],
          },
        },
      };
    },
  };
}

/** The benchmark model with the property, as worker threads load it (--workers N: ModelSource of this module). */
export const benchWithLeadsTo = withLeadsTo(benchModel);
export const benchWithLeadsToSource = { kind: 'module', module: import.meta.url, export: 'benchWithLeadsTo' } as const;
