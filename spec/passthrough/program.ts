// Where a program performs a passthrough step, read from the states around
// it: the struct file an open created, the process a read(2) runs in. The
// reproducer (reproducer.ts) and the observation rules (observations.ts)
// must agree on both.

import type { Plain } from '../../checker/layout.js';
import { indexOf, type ShownStep } from '../../checker/presentation.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

/** The file slot a step's open took (a free one, Open's parameter `f`; read from the states so that it holds whichever). */
export function openedSlot(s: Step): number {
  return s.after.file.findIndex((x, i) => s.before.file[i]!.kind === 'free' && x.kind !== 'free');
}

/** The process a read/write of file `f` runs in: the lowest that holds it (the model's step names only the file). */
export function ioProcess(s: Step): number {
  return s.before.file[indexOf(s.params.f)]!.heldBy.findIndex((held) => held === true);
}
