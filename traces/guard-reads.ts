// Which variables a guard looked at when it refused a step. A guard is an
// opaque function, so we run it once more over a view that records every slot
// it reads; "the guard read vma[p1][f1] = PC, pages[f1] = true" is usually the
// whole explanation of a refusal.

import type { ActionInstance, CompiledModel } from '../checker/compile.js';
import { type Domain, isScalar, showScalar } from '../checker/domain.js';
import { width } from '../checker/layout.js';
import { TransitionCore } from '../checker/core.js';

export interface GuardRead { readonly variable: string; readonly value: string | number | boolean }

/** Runs the guard over a recording view of `state`; undefined if the guard does something the view cannot follow. */
export function guardReads(cm: CompiledModel, inst: ActionInstance, state: Int32Array): GuardRead[] | undefined {
  if (!inst.guard) return [];
  const read = new Set<number>();
  const view = recordingView(cm.layout.schema, state, 0, read);
  try {
    TransitionCore.guardHolds(inst, view);
  } catch {
    return undefined;
  }
  return [...read].sort((a, b) => a - b).map((slot) => ({
    variable: cm.layout.slotNames[slot]!,
    value: showScalar(cm.layout.slotDomains[slot]!, state[slot]!),
  }));
}

function recordingView(d: Domain, buf: Int32Array, base: number, read: Set<number>): unknown {
  if (d.kind === 'array') {
    if (isScalar(d.element)) {
      const sub = buf.subarray(base, base + d.index.size);
      return new Proxy(sub, {
        get(target, prop) {
          if (typeof prop === 'string' && /^\d+$/.test(prop)) {
            const i = Number(prop);
            if (i < target.length) read.add(base + i);
            return target[i];
          }
          // Methods of a typed array must run on the array itself, not on the proxy.
          const v = Reflect.get(target, prop, target) as unknown;
          if (typeof v === 'function') {
            return (...args: unknown[]) => {
              for (let i = 0; i < target.length; i++) read.add(base + i);
              return (v as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          return v;
        },
        set() { return false; },
      });
    }
    const w = width(d.element);
    return Object.freeze(Array.from({ length: d.index.size }, (_, i) => recordingView(d.element, buf, base + i * w, read)));
  }
  if (d.kind === 'record') {
    const view: Record<string, unknown> = {};
    let off = base;
    for (const [k, f] of Object.entries(d.fields)) {
      const at = off;
      if (isScalar(f)) {
        Object.defineProperty(view, k, { get() { read.add(at); return buf[at]; }, enumerable: true });
      } else {
        Object.defineProperty(view, k, { value: recordingView(f, buf, at, read), enumerable: true });
      }
      off += width(f);
    }
    Object.defineProperty(view, '$buf', { value: buf });
    Object.defineProperty(view, '$base', { value: base });
    return Object.freeze(view);
  }
  throw new Error('a scalar has no view of its own');
}
