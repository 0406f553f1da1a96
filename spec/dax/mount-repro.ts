// Mounting within a run (remount=on, spec/dax/mount.ts) in words, as C
// (traces/repro/runtime.c, "mounting within a run"), and how a conformance
// run judges it: the parent unmounts and mounts the filesystem DIR is on and
// reports `@obs path - ret umount|mount RET ERRNO`; the evictions umount makes
// are judged as every other step's (the tracepoints).

import type { Expectation, Observation, ObservationRules, ProgramStep, StepWords } from '../../checker/presentation.js';

const MODES: Readonly<Record<string, number>> = { inode: 0, always: 1, never: 2 };

export const mountWords: Readonly<Record<string, StepWords<any>>> = {
  Umount: () => 'umount(the filesystem): nothing of it is open or mapped; every inode in memory is evicted',
  Mount: (s) => `mount(the same device, -o dax=${s.params.mode})`,
};

export const mountSteps: Readonly<Record<string, ProgramStep<any>>> = {
  Umount: { c: () => 'umount_fs();' },
  Mount: { c: (s) => `mount_fs(${MODES[String(s.params.mode)] ?? 0}); /* dax=${s.params.mode} */` },
};

function judgeMount(o: Observation): Expectation | undefined {
  if (o.file !== '-' || o.what !== 'ret' || (o.value[0] !== 'umount' && o.value[0] !== 'mount')) return undefined;
  return { expected: `${o.value[0]} returns 0`, agrees: o.value[1] === '0' && o.value[2] === '0' };
}

/** The rules given, and umount's and mount's return values on top. */
export function withMountObservations(base: ObservationRules<any>): ObservationRules<any> {
  return {
    judge: (o, s) => judgeMount(o) ?? base.judge(o, s),
    required: (s, seen) => [...base.required(s, seen), ...(s.action === 'Umount' || s.action === 'Mount' ? ['path - ret'] : [])],
  };
}
