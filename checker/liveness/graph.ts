// The explored state graph, recorded while the breadth-first search expands
// states (only when a liveness property is asked; by the in-thread expander,
// or from the workers' edge logs, parallel/level-edges.ts): every transition as
// (target id, action instance), grouped by source in compressed-row form
// (the breadth-first search expands states in id order, so a state's edges
// are appended together; the depth-first search expands them in another
// order, so its rows are put in id order once, at the end: seal), and per
// state the truth of each predicate the
// liveness properties read, evaluated once when the state is first stored
// (states themselves are not kept). On the benchmark (3,2), 14.4 M
// transitions take 6 bytes each.

import type { View } from '../layout.js';
import { type CompiledLiveness, predicatesOf } from './compiled.js';
import { IdTable } from './ids.js';

/** One predicate of one copy of a formula: `pred(state, index)`. */
interface Label { readonly pred: (s: unknown, i: number) => boolean; readonly index: number }

export class StateGraph {
  /** Edges of state s are offsets[s] .. offsets[s + 1] - 1. */
  private offsets = new Uint32Array(1 << 12);
  private targetArr = new Uint32Array(1 << 14);
  private instArr: Uint16Array | Uint32Array;
  edges = 0;
  /** States whose edges are recorded (0 .. expanded - 1). */
  expanded = 0;
  private readonly labels: Label[] = [];
  /** Per label, per state: 1 when the predicate holds. */
  private labelArr: Uint8Array[];
  /** Where each property's labels start: copy c's predicate k is label at[prop] + c * preds + k. */
  readonly labelAt: readonly number[];

  /** States are expanded in any order (depth-first), each with its edges together; seal() puts the rows in id order. */
  private readonly anyOrder: boolean;
  /** With anyOrder: per state begun, its id and its first edge, until seal(). */
  private rows = new Uint32Array(1 << 12);
  private rowCount = 0;
  /** The state begun last. */
  private current = -1;

  constructor(props: readonly CompiledLiveness[], instanceCount: number, opts: { anyOrder?: boolean } = {}) {
    this.anyOrder = opts.anyOrder === true;
    this.instArr = instanceCount <= 0xffff ? new Uint16Array(1 << 14) : new Uint32Array(1 << 14);
    const at: number[] = [];
    for (const p of props) {
      at.push(this.labels.length);
      const preds = predicatesOf(p.def);
      for (let c = 0; c < p.copies; c++) for (const pred of preds) this.labels.push({ pred: pred as Label['pred'], index: c });
    }
    this.labelAt = at;
    this.labelArr = this.labels.map(() => new Uint8Array(1 << 12));
  }

  private readonly ids = new IdTable();

  /**
   * A state as the search stores it (fingerprint lo, hi): `id` when it is
   * new, -1 when it was stored already. Returns its id.
   */
  stored(lo: number, hi: number, id: number): number {
    if (id >= 0) { this.ids.set(lo, hi, id); return id; }
    const known = this.ids.get(lo, hi);
    if (known < 0) throw new Error('state graph: a stored state has no id (a state stored before the graph was recorded)');
    return known;
  }

  get bytes(): number {
    return this.ids.bytes + this.offsets.byteLength + this.rows.byteLength + this.targetArr.byteLength + this.instArr.byteLength + this.labelArr.reduce((n, a) => n + a.byteLength, 0);
  }

  /** The predicates on state `id`, read from its unpacked view (called once per stored state). */
  label(id: number, view: View<any>): void {
    if (this.labels.length === 0) return;
    if (id >= this.labelArr[0]!.length) this.labelArr = this.labelArr.map((a) => grow(a, id + 1));
    for (let k = 0; k < this.labels.length; k++) {
      const l = this.labels[k]!;
      this.labelArr[k]![id] = l.pred(view, l.index) ? 1 : 0;
    }
  }

  /** Per expanded state: 1 when all its edges are recorded (not cut by a bound, the constraint or a stop). */
  private fullArr = new Uint8Array(1 << 12);

  /** Starts the edges of state `id`, which must be the next one in id order (unless anyOrder). */
  begin(id: number): void {
    if (this.anyOrder) {
      if (2 * this.rowCount + 2 > this.rows.length) this.rows = grow(this.rows, 2 * this.rowCount + 2);
      if (id >= this.fullArr.length) this.fullArr = grow(this.fullArr, id + 1);
      this.rows[2 * this.rowCount] = id;
      this.rows[2 * this.rowCount + 1] = this.edges;
      this.rowCount++;
      this.fullArr[id] = 1;
      this.current = id;
      return;
    }
    if (id !== this.expanded) throw new Error(`state graph: state ${id} expanded out of order (expected ${this.expanded})`);
    if (id + 2 > this.offsets.length) this.offsets = grow(this.offsets, id + 2);
    if (id >= this.fullArr.length) this.fullArr = grow(this.fullArr, id + 1);
    this.fullArr[id] = 1;
    this.offsets[id] = this.edges;
    this.expanded = id + 1;
    this.offsets[id + 1] = this.edges;
    this.current = id;
  }

  /** An edge from the state begun last to `target` by action instance `inst`. */
  edge(target: number, inst: number): void {
    const e = this.edges;
    if (e >= this.targetArr.length) {
      this.targetArr = grow(this.targetArr, e + 1);
      this.instArr = grow(this.instArr, e + 1);
    }
    this.targetArr[e] = target;
    this.instArr[e] = inst;
    this.edges = e + 1;
    if (!this.anyOrder) this.offsets[this.expanded] = e + 1;
  }

  /** State `id` (begun last) lacks some of its edges: at the depth bound, outside the constraint, or a stop in the middle. */
  partial(id: number): void { this.fullArr[id] = 0; }

  /** The search failed (the system refused memory) while it recorded the state begun last: that state lacks edges. */
  abandonLast(): void { if (this.current >= 0) this.fullArr[this.current] = 0; }

  /**
   * With anyOrder: the search is over and `states` states are stored; the
   * rows, recorded in expansion order, are put in id order (each keeps its
   * edges in the order they were recorded). States never begun have no edges
   * and are not full.
   */
  seal(states: number): void {
    if (!this.anyOrder) return;
    const rows = this.rows;
    const n = this.rowCount;
    const offsets = new Uint32Array(states + 1);
    const endOf = (k: number) => (k + 1 < n ? rows[2 * k + 3]! : this.edges);
    for (let k = 0; k < n; k++) offsets[rows[2 * k]! + 1] = endOf(k) - rows[2 * k + 1]!;
    for (let s = 0; s < states; s++) offsets[s + 1]! += offsets[s]!;
    const targets = new Uint32Array(Math.max(1, this.edges));
    const insts = new (this.instArr.constructor as new (n: number) => Uint16Array | Uint32Array)(Math.max(1, this.edges));
    for (let k = 0; k < n; k++) {
      const from = rows[2 * k + 1]!;
      const to = offsets[rows[2 * k]!]!;
      targets.set(this.targetArr.subarray(from, endOf(k)), to);
      insts.set(this.instArr.subarray(from, endOf(k)), to);
    }
    if (states > this.fullArr.length) this.fullArr = grow(this.fullArr, states);
    this.offsets = offsets;
    this.targetArr = targets;
    this.instArr = insts;
    this.rows = new Uint32Array(0);
    this.rowCount = 0;
    this.expanded = states;
  }

  /**
   * Cuts the graph back to where the sequential search stops at a violation
   * (bfs.ts): state `last` expanded up to action instance `lastInst`, no
   * state after it. Parallel engines finish the chunks they hold, so their
   * graph goes further; the sequential one is already there.
   */
  stopAt(last: number, lastInst: number): void {
    if (last >= this.expanded) return;
    const end = this.offsets[last + 1]!;
    let e = this.offsets[last]!;
    while (e < end && this.instArr[e]! <= lastInst) e++;
    if (e < end) this.fullArr[last] = 0;
    this.edges = e;
    this.offsets[last + 1] = e;
    this.expanded = last + 1;
  }

  // ---- reading ----------------------------------------------------------------

  /** Whether state s was expanded with every edge it has (every state of a complete search is). */
  full(s: number): boolean { return s < this.expanded && this.fullArr[s] === 1; }

  get states(): number { return this.expanded; }
  first(s: number): number { return this.offsets[s]!; }
  end(s: number): number { return this.offsets[s + 1]!; }
  target(e: number): number { return this.targetArr[e]!; }
  inst(e: number): number { return this.instArr[e]!; }
  holds(label: number, s: number): boolean { return this.labelArr[label]![s] === 1; }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, need: number): T {
  let n = a.length;
  while (n < need) n = n < 1 << 24 ? n * 2 : Math.ceil(n * 1.5);
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
