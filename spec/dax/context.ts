// What every action and property factory is built from: the constants, the
// index sets, and the flavour (ext4/xfs or virtiofs).

import { actionsOf } from '../../checker/model.js';
import type { IndexSet } from '../../checker/domain.js';
import type { Constants } from './constants.js';
import type { Flavour } from './flavour.js';
import { shapeOf, type Schema } from './state.js';

export interface Ctx {
  readonly c: Constants;
  readonly flavour: Flavour;
  readonly Files: IndexSet;
  readonly Procs: IndexSet;
  /** Number of processes and of files. */
  readonly P: number;
  readonly F: number;
}

export function ctxFor(c: Constants, flavour: Flavour): Ctx {
  const { Files, Procs } = shapeOf(c);
  return { c, flavour, Files, Procs, P: c.procs, F: c.files };
}

/** How every action of the model is written (checker/model.ts actionsOf). */
export const action = actionsOf<Schema>();

/** Process and file names as the trace prints them. */
export const pName = (p: number) => `p${p + 1}`;
export const fName = (f: number) => `f${f + 1}`;
