// Checks a model's independence claims (ActionDef.touches, por.ts) on
// concrete states, for tests: the search itself trusts the declaration.

import type { CompiledModel } from './compile.js';
import { TransitionCore } from './core.js';
import { declaredIndependent, independenceOf } from './por.js';

/**
 * Checks the model's independence claims at one state: for every pair of
 * instances declared independent, taking one must not enable or disable the
 * other, and taking both in either order must reach the same state; and a
 * step local to one component must change no variable outside it. Returns
 * what failed, or undefined. (Cheap enough for random states in a test; the
 * search itself trusts the declaration.)
 */
export function independenceViolation(cm: CompiledModel, state: Int32Array): string | undefined {
  const ind = independenceOf(cm);
  if (!ind) return undefined;
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const owner = componentOfSlots(cm, ind.set);
  const n = cm.instances.length;
  const after: (Int32Array | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    core.cur.set(state);
    after.push(core.step(cm.instances[i]!) === undefined ? Int32Array.from(core.next) : undefined);
  }
  const name = (i: number) => cm.label(cm.instances[i]!);
  for (let i = 0; i < n; i++) {
    const si = after[i];
    if (si && ind.touched[i] !== ind.all) {
      for (let k = 0; k < si.length; k++) {
        if (si[k] !== state[k] && (owner[k]! < 0 || (ind.touched[i]! & (1 << owner[k]!)) === 0)) {
          return `${name(i)} changes ${cm.layout.slotNames[k]}, outside the components it declares`;
        }
      }
    }
    for (let j = i + 1; j < n; j++) {
      if (!declaredIndependent(ind, i, j)) continue;
      const why = interference(core, state, i, j, si, after[j]);
      if (why) return `${why}, declared independent`;
    }
  }
  return undefined;
}

/**
 * Whether instances i and j interfere at `state`: one enables or disables the
 * other, or the two orders reach different states; in words, or undefined
 * when they are independent there. `si`/`sj`: their successors, when known.
 */
export function interference(
  core: TransitionCore, state: Int32Array, i: number, j: number,
  si: Int32Array | undefined = stepFrom(core, state, i), sj: Int32Array | undefined = stepFrom(core, state, j),
): string | undefined {
  const name = (k: number) => core.cm.label(core.cm.instances[k]!);
  // from i's successor: is j still (or still not) enabled, and where does it lead?
  const ij = si ? stepFrom(core, si, j) : undefined;
  const ji = sj ? stepFrom(core, sj, i) : undefined;
  if (si && (ij !== undefined) !== (sj !== undefined)) return `${name(i)} ${sj ? 'disables' : 'enables'} ${name(j)}`;
  if (sj && (ji !== undefined) !== (si !== undefined)) return `${name(j)} ${si ? 'disables' : 'enables'} ${name(i)}`;
  if (ij && ji && !ij.every((v, k) => v === ji[k])) return `${name(i)} and ${name(j)} reach different states in the two orders`;
  return undefined;
}

function stepFrom(core: TransitionCore, from: Int32Array, i: number): Int32Array | undefined {
  core.cur.set(from);
  return core.step(core.cm.instances[i]!) === undefined ? Int32Array.from(core.next) : undefined;
}

/** Per slot: the component (element of the set `prefix`) its path is indexed by, or -1 for the shared part. */
function componentOfSlots(cm: CompiledModel, prefix: string): Int32Array {
  const re = new RegExp(`\\[${prefix}(\\d+)\\]`);
  return Int32Array.from(cm.layout.slotNames, (s) => { const m = re.exec(s); return m ? Number(m[1]) - 1 : -1; });
}
