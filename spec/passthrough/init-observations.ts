// What a server without OPEN sees (constant serverOpen=ENOSYS): no
// FUSE_RELEASE, ever, since fuse_file_put sends none for a file without
// ff->args (fs/fuse/file.c, v6.12). The state says so (`noOpen`, fc->no_open).
// Every file's requests carry fh 0, so the server cannot say which struct file
// a FUSE_WRITE came through: the per-file write count is not required then.

import type { Plain } from '../../checker/layout.js';
import type { Observation, ObservationRules, ShownStep } from '../../checker/presentation.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;
const noOpen = (s: Step) => (s.after as unknown as { noOpen?: boolean }).noOpen === true;

export function withNoOpenObservations(base: ObservationRules<Plain<Schema>>): ObservationRules<Plain<Schema>> {
  return {
    judge: (o: Observation, s: Step) => (noOpen(s) && o.who === 'server' && o.what === 'release'
      ? { expected: 'no FUSE_RELEASE (fc->no_open: the file has no ff->args)', agrees: false }
      : base.judge(o, s)),
    required: (s: Step, seen?: ReadonlySet<string>) => base.required(s, seen).filter((k) => !(noOpen(s) && / (release|writes)$/.test(k))),
  };
}
