// Partial-order reduction (--por): ample sets over the components a model
// declares (ModelDef.components: e.g. its files), from what each action says
// it touches (ActionDef.touches). Breadth-first, one thread.
//
// At a state s the ample set is every enabled step of one component g, taken
// instead of all enabled steps, when these hold (Clarke, Grumberg, Peled,
// "Model Checking", ch. 10; Godefroid, LNCS 1032, ch. 4 and 6):
//
//   C0  the ample set is empty only if nothing is enabled: g is chosen among
//       the components with an enabled step;
//   C1  no step outside the ample set that depends on it can happen before an
//       ample step: g is *closed*, i.e. every action instance that touches g
//       touches g alone. Steps of other components touch disjoint parts of
//       the state, so they neither enable, disable nor change g's steps, and
//       a step of g that is disabled at s stays disabled until a step of g
//       runs (its guard reads only g's part and the shared part, which no
//       closed component's step writes);
//   C2  instead of invisibility: the properties are local to the components
//       (the model claims it with `components`): an invariant is a
//       conjunction, a goal a disjunction, of predicates over one component
//       each (and the shared part, which only steps touching every component
//       write), and an action property reads only the components its step
//       touches. What is kept is every local state of every component (and
//       every step from it), which is what such a property can observe
//       (Godefroid, ch. 6: persistent sets with the cycle proviso preserve
//       local states). (A disjunction as an invariant, or a conjunction as a
//       goal, asks for a combination of local states: not kept.)
//   C3  the cycle proviso for breadth-first search: s is reduced only if every
//       ample successor is a state not stored before, so it gets depth
//       depth(s) + 1. Every edge out of a reduced state then goes one level
//       deeper, so every cycle of the reduced graph passes through a fully
//       expanded state, and no enabled step is put off for ever.
//
// With --symmetry too, s is the stored representative of its orbit (a
// concrete state), its ample set is chosen on it as above, and its successors
// are canonicalised after, so C3 is checked on orbits. This is sound when the
// reduction is itself symmetric: what an instance touches, renamed, is what
// the renamed instance touches (touchesBreakSymmetry checks it on the
// generators of the group; search.ts refuses the combination otherwise), and
// the properties are symmetric (as --symmetry requires). Then give every
// concrete state t = σ(r) of the orbit of a stored r the ample set σ(ample(r))
// (for one σ with σ(r) = t): these are the enabled steps of component σ(g) at
// t, closed because closedness is the same up to renaming, so C0 and C1 hold
// at t. An edge t -> u of that concrete graph maps to the stored edge r ->
// canon(u), so a cycle of it maps to a closed walk of stored orbits, which
// passes a fully expanded r (C3 on orbits), whose concrete t is fully expanded
// too. The concrete graph therefore satisfies C0-C3 and keeps every local
// state; its states are exactly the orbits stored, and the properties cannot
// tell the states of an orbit apart (Emerson, Jha, Peled, "Combining partial
// order and symmetry reductions", TACAS 1997, take the same route). The
// orbits' sizes then sum to that graph's states, not the model's, so no
// count without the reductions is reported.
//
// Deadlocks are kept by C0 and C1 alone. Traces are still runs of the model,
// but no longer the shortest (a step of another file may be put first), so
// only the verdicts, not the trace lengths, match the unreduced search.

import type { CompiledModel } from './compile.js';
import { UsageError } from './errors.js';

export interface Independence {
  /** The prefix of the component set (`f`). */
  readonly set: string;
  readonly components: number;
  /** Per action instance: the one component it touches, or -1 (several, or undeclared). */
  readonly localTo: Int32Array;
  /** Per action instance: the components it touches, one bit each. */
  readonly touched: Uint32Array;
  /** Per component: 1 when every instance touching it touches it alone (C1). */
  readonly closed: Uint8Array;
  /** The mask of every component (what an instance without `touches` gets). */
  readonly all: number;
}

/** What the model declares about its components and actions; undefined when it declares no components. */
export function independenceOf(cm: CompiledModel): Independence | undefined {
  const set = cm.components;
  if (!set) return undefined;
  if (set.size > 31) throw new UsageError(`--por: the component set ${set.prefix} has ${set.size} elements, more than the 31 the reduction tracks`);
  const all = (2 ** set.size - 1) >>> 0;
  const touched = new Uint32Array(cm.instances.length);
  const localTo = new Int32Array(cm.instances.length).fill(-1);
  cm.instances.forEach((inst, i) => {
    const def = cm.actionDefs[inst.action]!;
    if (!def.touches) { touched[i] = all; return; }
    let m = 0;
    for (const c of def.touches(inst.params as Readonly<Record<string, number>>)) {
      if (!Number.isInteger(c) || c < 0 || c >= set.size) throw new Error(`action ${inst.name}: touches() gave ${c}, not an element of ${set.prefix}1..${set.prefix}${set.size}`);
      m |= 1 << c;
    }
    touched[i] = m >>> 0;
    if (m !== 0 && (m & (m - 1)) === 0) localTo[i] = 31 - Math.clz32(m);
  });
  const closed = new Uint8Array(set.size).fill(1);
  for (let i = 0; i < touched.length; i++) {
    if (localTo[i]! >= 0) continue;
    for (let c = 0; c < set.size; c++) if (touched[i]! & (1 << c)) closed[c] = 0;
  }
  return { set: set.prefix, components: set.size, localTo, touched, closed, all };
}

/** Whether the two instances are declared independent (they touch disjoint components). */
export function declaredIndependent(ind: Independence, i: number, j: number): boolean {
  return (ind.touched[i]! & ind.touched[j]!) === 0;
}


/**
 * With --symmetry too, the ample sets must be the same up to renaming: what
 * an instance touches, renamed, must be what the renamed instance touches
 * (renaming the component set permutes the components; renaming any other
 * symmetric set leaves them). Checked on the adjacent transpositions of each
 * symmetric set, which generate its renamings, so on the whole group.
 * Returns the first instance that breaks it, in words, or undefined.
 */
export function touchesBreakSymmetry(cm: CompiledModel, ind: Independence): string | undefined {
  const maskOf = (def: CompiledModel['actionDefs'][number], prm: Readonly<Record<string, number>>) => {
    if (!def.touches) return ind.all;
    let m = 0;
    for (const c of def.touches(prm)) m |= 1 << c;
    return m >>> 0;
  };
  const swapBits = (m: number, k: number) => {
    const a = (m >>> k) & 1, b = (m >>> (k + 1)) & 1;
    return a === b ? m : (m ^ ((1 << k) | (1 << (k + 1)))) >>> 0;
  };
  for (let i = 0; i < cm.instances.length; i++) {
    const inst = cm.instances[i]!;
    const def = cm.actionDefs[inst.action]!;
    if (!def.touches) continue;
    const prm = inst.params as Readonly<Record<string, number>>;
    const domains = def.params as Readonly<Record<string, { kind: string; prefix?: string }>>;
    for (const set of cm.symmetric) {
      for (let k = 0; k + 1 < set.size; k++) {
        const renamed: Record<string, number> = {};
        for (const [name, v] of Object.entries(prm)) {
          const d = domains[name];
          renamed[name] = d?.kind === 'index' && d.prefix === set.prefix && (v === k || v === k + 1) ? (v === k ? k + 1 : k) : v;
        }
        const want = set.prefix === ind.set ? swapBits(ind.touched[i]!, k) : ind.touched[i]!;
        if (maskOf(def, renamed) !== want) {
          return `${cm.label(inst)} touches ${maskWords(ind, ind.touched[i]!)}, but with ${set.prefix}${k + 1} and ${set.prefix}${k + 2} swapped it touches ${maskWords(ind, maskOf(def, renamed))}, not ${maskWords(ind, want)}`;
        }
      }
    }
  }
  return undefined;
}

function maskWords(ind: Independence, m: number): string {
  const out: string[] = [];
  for (let c = 0; c < ind.components; c++) if (m & (1 << c)) out.push(`${ind.set}${c + 1}`);
  return `[${out.join(', ')}]`;
}
