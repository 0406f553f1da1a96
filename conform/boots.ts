// Booting until every program has run. A TCG boot can die on its own (qemu
// killed, a guest that stops before its end; seen once in CI: the boot ended
// after a few seconds with no program started), and a program can take the
// kernel down with it. Either way the runs that finished are kept and the
// machine is booted again for the ones it did not finish. A run that was in
// progress when two boots died is not tried a third time: it is reported as
// the kernel dying under it, and the boots go on without it.

import { mergeBoots, parseBoot, runKey, type BootOutput } from './parse.js';

/** What one boot of the VM returned (conform/vm.ts). */
export interface BootAttempt {
  readonly output: string;
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly consoleLog: string;
}

/** One run of a program on a file system. */
export interface RunId {
  readonly fs: string;
  readonly trace: string;
}

/** Boots the VM for `todo` (in the order to run them), with the time it may take. */
export type BootOnce = (todo: readonly RunId[], timeoutSeconds: number) => Promise<BootAttempt>;

/** A boot that ended before its end (`@vm-end`). */
export interface BootDeath {
  /** 1 for the first boot. */
  readonly boot: number;
  readonly seconds: number;
  /** qemu's exit status, or the timeout. */
  readonly how: string;
  /** The run in progress when it ended; none when it ended before the first or between runs. */
  readonly during?: RunId;
  /** The last lines of the kernel console. */
  readonly console: readonly string[];
}

export interface BootsResult {
  /** Every boot's output merged: for each run, the one that finished (conform/parse.ts mergeBoots). */
  readonly parsed: BootOutput;
  readonly boots: number;
  readonly seconds: number;
  readonly deaths: readonly BootDeath[];
  /** Runs left out after two boots died under them. */
  readonly killedKernel: readonly RunId[];
  /** Runs no boot reached (the boots ran out). */
  readonly notRun: readonly RunId[];
}

/**
 * Boots until a boot reaches its end or `maxBoots` have run; each boot after
 * the first runs only what the earlier ones did not finish.
 */
export async function bootUntilDone(once: BootOnce, runs: readonly RunId[], timeoutOf: (todo: number) => number, maxBoots: number, log: (line: string) => void): Promise<BootsResult> {
  const outputs: BootOutput[] = [];
  const deaths: BootDeath[] = [];
  const diedUnder = new Map<string, number>();
  let seconds = 0;
  const finished = () => new Set(mergeBoots(outputs).runs.filter((r) => r.rc !== undefined).map(runKey));
  // A run that two boots died under; it is never in a later boot, so never finished.
  const abandoned = (r: RunId) => (diedUnder.get(runKey(r)) ?? 0) >= 2;
  for (let boot = 1; boot <= maxBoots; boot++) {
    const done = finished();
    const todo = runs.filter((r) => !done.has(runKey(r)) && !abandoned(r));
    if (boot > 1 && todo.length === 0) break;
    const a = await once(todo, timeoutOf(todo.length));
    seconds += a.seconds;
    const parsed = parseBoot(a.output);
    outputs.push(parsed);
    if (parsed.complete && !a.timedOut) break;
    const open = parsed.runs.filter((r) => r.rc === undefined).pop();
    const during = open ? { fs: open.fs, trace: open.trace } : undefined;
    if (during) diedUnder.set(runKey(during), (diedUnder.get(runKey(during)) ?? 0) + 1);
    const console = a.consoleLog.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').slice(-8);
    const how = a.timedOut ? `timed out after ${a.seconds.toFixed(0)} s` : `qemu exited ${a.exitCode ?? 'on a signal'}`;
    deaths.push({ boot, seconds: a.seconds, how, ...(during ? { during } : {}), console });
    log(`boot ${boot} ended before its end (${how}, ${a.seconds.toFixed(1)} s, ${during ? `during ${runKey(during)}` : 'with no program running'}); console: ${console.slice(-3).join(' | ') || '(empty)'}${boot < maxBoots ? '; booting again for the runs it did not finish' : ''}`);
  }
  const merged = mergeBoots(outputs);
  const done = new Set(merged.runs.filter((r) => r.rc !== undefined).map(runKey));
  // When the last boot died, what it did not finish is unjudged, not a disagreement: one death under a run tells nothing.
  return {
    parsed: merged, boots: outputs.length, seconds, deaths, killedKernel: runs.filter(abandoned),
    notRun: merged.complete ? [] : runs.filter((r) => !done.has(runKey(r)) && !abandoned(r)),
  };
}
