// The liveness phase of a run: once the breadth-first search has recorded
// the state graph, each temporal property is decided over it (decide.ts) and
// a violation is given its lasso (lasso.ts), rebuilt through the transition
// core like every other trace. A search that was cut short (a bound, a
// limit, an early stop) never says a property holds: a missing edge could
// close a fair cycle. It can still find a violation, among the states it
// expanded with all their edges (those are the only ones decide.ts looks
// at), since enabledness and edges are complete there.

import type { CompiledModel } from '../compile.js';
import type { PropertyResult, Trace } from '../result.js';
import { NO_PARENT } from '../store.js';
import { type Links, replayInstances } from '../trace.js';
import type { CompiledLiveness } from './compiled.js';
import { decide } from './decide.js';
import type { StateGraph } from './graph.js';
import { lassoOf } from './lasso.js';
import { SccWork } from './scc.js';

/** What a liveness property's pass depends on, besides the graph: the goals it names (by name, whether reached). */
export function livenessResults(
  cm: CompiledModel, props: readonly CompiledLiveness[], graph: StateGraph | undefined, links: Links, complete: boolean,
  unreachedGoals: (names: readonly string[] | undefined) => string[],
): PropertyResult[] {
  if (props.length === 0) return [];
  if (graph === undefined) return props.map((p) => ({ name: p.name, kind: 'liveness', status: 'bounded', holds: null, doc: p.def.doc }));
  const work = new SccWork(graph);
  const isInitial = (s: number) => links.parent(s) === NO_PARENT;
  return props.map((p, k): PropertyResult => {
    const d = decide(work, p, graph.labelAt[k]!, isInitial);
    if (d.violation) {
      const lasso = lassoOf(work, d.violation, p.groups, links);
      const steps = replayInstances(cm, cm.inits[lasso.init]!, lasso.path.map((i) => cm.instances[i]!));
      const trace: Trace = { steps, loopIndex: lasso.loopIndex, variables: cm.layout.slotNames };
      return { name: p.name, kind: 'liveness', status: 'violated', holds: false, doc: p.def.doc, trace };
    }
    // A cut-short search's graph may lack the edge that would close a fair cycle: only a violation is known then.
    if (!complete) return { name: p.name, kind: 'liveness', status: 'bounded', holds: null, doc: p.def.doc };
    const missing = unreachedGoals(p.def.nonVacuousIf);
    if (d.triggerReached === false || missing.length) {
      return {
        name: p.name, kind: 'liveness', status: 'vacuous', holds: true, doc: p.def.doc,
        ...(missing.length ? { vacuousBecause: missing } : {}), ...(d.triggerReached === false ? { triggerNeverReached: p.def.trigger ?? 'P' } : {}),
      };
    }
    return { name: p.name, kind: 'liveness', status: 'holds', holds: true, doc: p.def.doc };
  });
}
