// Reading what a conformance boot printed on its program port (conform/vm/init
// and the reproducers' machine format, traces/repro/runtime.c -m) into runs:
// per file system and trace, the observations of each step.

import type { Observation } from '../checker/presentation.js';

export interface ObservedStep {
  readonly n: number;
  readonly label: string;
  readonly obs: Observation[];
}

export interface ObservedRun {
  readonly fs: string;
  readonly trace: string;
  readonly steps: ObservedStep[];
  /** The program's exit status (124: killed by the VM's timeout); undefined when the boot ended inside it. */
  rc?: number;
  /** The program reached its end (`@done`). */
  done: boolean;
  /** Lines the program printed that are not observations (errors from the runtime, setup failures). */
  readonly other: string[];
}

export interface BootOutput {
  readonly kernel?: string;
  readonly runs: ObservedRun[];
  /** `@vm-error` lines: the VM could not set the file systems up. */
  readonly errors: string[];
  /** `@fs` lines: what was mounted, as /proc/mounts says. */
  readonly mounts: string[];
  /** The VM reached its end (`@vm-end`). */
  readonly complete: boolean;
  /** Seconds of guest time each file system took (mkfs, mount and its programs). */
  readonly fsSeconds: Readonly<Record<string, number>>;
}

/** `@obs WHO FILE WHAT VALUE...` */
export function parseObservation(line: string): Observation | undefined {
  const m = /^@obs (\S+) (\S+) (\S+)(?: (.*))?$/.exec(line);
  if (!m) return undefined;
  return { who: m[1]!, file: m[2]!, what: m[3]!, value: m[4] ? m[4].split(' ') : [] };
}

export function parseBoot(text: string): BootOutput {
  const runs: ObservedRun[] = [];
  const errors: string[] = [];
  const mounts: string[] = [];
  let kernel: string | undefined;
  let complete = false;
  let run: ObservedRun | undefined;
  const fsSeconds: Record<string, number> = {};
  let lastFs: { name: string; at: number } | undefined;
  const mark = (at: number, name?: string) => {
    if (lastFs) fsSeconds[lastFs.name] = at - lastFs.at;
    lastFs = name === undefined ? undefined : { name, at };
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = /^@vm kernel=(\S+)/.exec(line))) kernel = m[1];
    else if (line.startsWith('@vm-error ')) errors.push(line.slice(10));
    else if ((m = /^@vm-end uptime=([\d.]+)/.exec(line))) { complete = true; mark(Number(m[1])); }
    else if ((m = /^@fs (\S+) (.*) uptime=([\d.]+)$/.exec(line))) { mounts.push(m[2]!); mark(Number(m[3]), m[1]!); }
    else if ((m = /^@begin (\S+) (\S+)$/.exec(line))) {
      run = { fs: m[1]!, trace: m[2]!, steps: [], done: false, other: [] };
      runs.push(run);
    } else if ((m = /^@end (\S+) (\S+) rc=(\d+)$/.exec(line))) {
      if (run && run.fs === m[1] && run.trace === m[2]) run.rc = Number(m[3]);
      run = undefined;
    } else if (!run) {
      continue;
    } else if ((m = /^@step (\d+) (.*)$/.exec(line))) {
      run.steps.push({ n: Number(m[1]), label: m[2]!, obs: [] });
    } else if (line === '@done') {
      run.done = true;
    } else if (line.startsWith('@obs ')) {
      const o = parseObservation(line);
      const step = run.steps[run.steps.length - 1];
      if (o && step) step.obs.push(o);
      else run.other.push(line);
    } else if (line.trim() !== '') {
      run.other.push(line);
    }
  }
  return { ...(kernel ? { kernel } : {}), runs, errors, mounts, complete, fsSeconds };
}

/**
 * Several boots' output as one (conform/boots.ts boots again for what a dying
 * boot did not finish): for each run the last one that finished, else the last
 * one begun; the kernel of the first; each file system's time summed; the end
 * reached when the last boot reached it.
 */
/** A run's name across boots: its file system and trace. */
export const runKey = (r: { readonly fs: string; readonly trace: string }) => `${r.fs} ${r.trace}`;

export function mergeBoots(boots: readonly BootOutput[]): BootOutput {
  const byRun = new Map<string, ObservedRun>();
  const fsSeconds: Record<string, number> = {};
  for (const b of boots) {
    for (const r of b.runs) {
      const had = byRun.get(runKey(r));
      if (!had || had.rc === undefined || r.rc !== undefined) byRun.set(runKey(r), r);
    }
    for (const [fs, s] of Object.entries(b.fsSeconds)) fsSeconds[fs] = (fsSeconds[fs] ?? 0) + s;
  }
  const kernel = boots.find((b) => b.kernel)?.kernel;
  return {
    ...(kernel ? { kernel } : {}),
    runs: [...byRun.values()],
    errors: [...new Set(boots.flatMap((b) => b.errors))],
    mounts: [...new Set(boots.flatMap((b) => b.mounts))],
    complete: boots.length > 0 && boots[boots.length - 1]!.complete,
    fsSeconds,
  };
}
