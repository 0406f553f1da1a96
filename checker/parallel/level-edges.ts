// The state graph of a parallel breadth-first search (liveness, see
// checker/liveness/), built in two halves. A worker cannot name a
// successor's id: the new states of a level are numbered by the coordinator
// at the level's end (levels.ts absorb). So each engine logs the states it
// expanded and, per edge, the target's fingerprint and the action instance
// (EdgeLog); after the level is numbered the coordinator registers the new
// states' ids and labels, then appends the logged edges state by state in id
// order (addLevelToGraph), resolving each fingerprint to its id. The logs
// are shared buffers each engine keeps for the whole run. The ids are
// the sequential engine's (canonical numbering), and an engine expands each
// state exactly as the sequential one does, so the graph is the one the
// sequential search records, edge for edge. Only made when a liveness
// property is checked: a safety-only run logs nothing.

import type { TransitionCore } from '../core.js';
import { FP, fingerprint } from '../fingerprint.js';
import type { StateGraph } from '../liveness/graph.js';
import type { LevelEdges } from './protocol.js';
import { nonZero } from './shared-table.js';

export class EdgeLog {
  private states = shared(3 * 64);
  private stateCount = 0;
  private edges = shared(3 * 1024);
  private edgeCount = 0;

  /** A new level: the log starts empty (its buffers are kept). */
  reset(): void {
    this.stateCount = 0;
    this.edgeCount = 0;
  }

  /** Starts the edges of the state at frontier position `pos` (an engine expands its states in increasing position). */
  begin(pos: number): void {
    if (3 * this.stateCount + 3 > this.states.length) this.states = grown(this.states);
    const at = 3 * this.stateCount++;
    this.states[at] = pos;
    this.states[at + 1] = 0;
    this.states[at + 2] = 1;
  }

  /** An edge of the state begun last, to the state with (table) fingerprint (lo, hi), by instance `inst`. */
  edge(lo: number, hi: number, inst: number): void {
    if (3 * this.edgeCount + 3 > this.edges.length) this.edges = grown(this.edges);
    const at = 3 * this.edgeCount++;
    this.edges[at] = lo;
    this.edges[at + 1] = hi;
    this.edges[at + 2] = inst;
    this.states[3 * this.stateCount - 2]!++;
  }

  /** The state begun last lacks some of its edges (the constraint, the depth bound). */
  partial(): void { this.states[3 * this.stateCount - 1] = 0; }

  /** The level's log, for the coordinator to read before the next level. */
  contents(): LevelEdges {
    return { states: this.states.buffer, stateCount: this.stateCount, edges: this.edges.buffer, edgeCount: this.edgeCount };
  }
}

function shared(words: number): Uint32Array<SharedArrayBuffer> {
  return new Uint32Array(new SharedArrayBuffer(words * 4));
}

function grown(a: Uint32Array<SharedArrayBuffer>): Uint32Array<SharedArrayBuffer> {
  const b = shared(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Adds a numbered level to the graph: the new states newStart .. newStart +
 * newStates - 1 (packed in `frontier`, W words each) get their ids and
 * labels, then the edges the engines logged for the level's states
 * levelStart .. are appended in id order. The states expanded are a prefix
 * of the level (engines claim it from a cursor and finish what they claim),
 * each by one engine.
 */
export function addLevelToGraph(
  graph: StateGraph, core: TransitionCore, logs: readonly LevelEdges[],
  levelStart: number, newStart: number, newStates: number, frontier: Uint32Array,
): void {
  const W = core.W;
  for (let p = 0; p < newStates; p++) {
    fingerprint(frontier, p * W, W);
    graph.stored(nonZero(FP[0]!), nonZero(FP[1]!), newStart + p);
    core.loadNext(frontier, p * W);
    graph.label(newStart + p, core.nextView);
  }
  const states = logs.map((l) => new Uint32Array(l.states));
  const edges = logs.map((l) => new Uint32Array(l.edges));
  const nextState = logs.map(() => 0);
  const nextEdge = logs.map(() => 0);
  let left = 0;
  for (const l of logs) left += l.stateCount;
  try {
    for (let pos = 0; left > 0; pos++) {
      let w = 0;
      while (w < logs.length && !(nextState[w]! < logs[w]!.stateCount && states[w]![3 * nextState[w]!] === pos)) w++;
      if (w === logs.length) throw new Error(`parallel search: state ${levelStart + pos} of the level was not expanded, but a later one was`);
      const at = 3 * nextState[w]!++;
      left--;
      const s = states[w]!;
      const es = edges[w]!;
      graph.begin(levelStart + pos);
      for (let e = nextEdge[w]!, end = e + s[at + 1]!; e < end; e++) graph.edge(graph.stored(es[3 * e]!, es[3 * e + 1]!, -1), es[3 * e + 2]!);
      nextEdge[w]! += s[at + 1]!;
      if (s[at + 2] === 0) graph.partial(levelStart + pos);
    }
  } catch (e) {
    // The system refused memory halfway through a state: it must not count as expanded with all its edges.
    graph.abandonLast();
    throw e;
  }
}
