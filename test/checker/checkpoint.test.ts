// Checkpoint and resume (issue 10): a breadth-first run interrupted after a
// checkpoint and resumed from it ends with exactly the uninterrupted run's
// counts, verdicts, traces and coverage.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import type { CheckResult } from '../../checker/result.js';
import { check } from '../../checker/search.js';
import { UsageError } from '../../checker/errors.js';
import { benchModel } from '../../spec/bench/index.js';
import { tempDir } from '../../testkit/traces.js';

/** Everything but the clock and the memory figures. */
const comparable = (r: CheckResult) => ({
  complete: r.complete, incompleteReason: r.incompleteReason, distinctStates: r.distinctStates, statesGenerated: r.statesGenerated,
  queueLeft: r.queueLeft, depth: r.depth, properties: r.properties, deadlock: r.deadlock, coverage: r.coverage,
});

/** Runs with a checkpoint at every level and interrupts the run at its `after`-th look at the clock. */
function interruptedRun(design: string, dir: string, after: number, extra: object = {}, everySeconds = 0): CheckResult {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  let ticks = 0;
  return check(compile(benchModel, design, { files: 2, procs: 3 }), {
    ...extra, interrupt, checkpoint: { dir, everySeconds },
    progressEverySeconds: 1e-9, onProgress: () => { if (++ticks === after) Atomics.store(interrupt, 0, 2); },
  });
}

describe('checkpoint and resume', () => {
  it.each([
    ['instantiate-only', {}],
    ['flip-on-ioctl', { continueAfterViolation: true }],
  ])('%s: interrupted and resumed equals uninterrupted', (design, extra) => {
    const cm = compile(benchModel, design, { files: 2, procs: 3 });
    const whole = check(cm, extra);
    const dir = tempDir('checkpoint');
    const cut = interruptedRun(design, dir, 3, extra);
    expect(cut.cutShortBy).toBe('interrupted');
    expect(cut.distinctStates).toBeLessThan(whole.distinctStates);
    const resumed = check(cm, { ...extra, resume: dir });
    expect(comparable(resumed)).toEqual(comparable(whole));
    if (design === 'flip-on-ioctl') expect(resumed.properties.some((p) => p.status === 'violated' && p.trace)).toBe(true);
  });

  it.each([
    ['instantiate-only', {}],
    ['flip-on-ioctl', { continueAfterViolation: true }],
  ])('%s: the checkpoint written on interruption alone (none at boundaries) resumes to the uninterrupted result', (design, extra) => {
    const cm = compile(benchModel, design, { files: 2, procs: 3 });
    const whole = check(cm, extra);
    const dir = tempDir('checkpoint-on-interrupt');
    const cut = interruptedRun(design, dir, 4, extra, 1e9);
    expect(cut.cutShortBy).toBe('interrupted');
    expect(comparable(check(cm, { ...extra, resume: dir }))).toEqual(comparable(whole));
  });

  it('a resumed run can be checkpointed and interrupted again', () => {
    const cm = compile(benchModel, 'instantiate-only', { files: 2, procs: 3 });
    const whole = check(cm, {});
    const dir = tempDir('checkpoint-twice');
    interruptedRun('instantiate-only', dir, 2);
    const interrupt = new Int32Array(new SharedArrayBuffer(4));
    let ticks = 0;
    const second = check(cm, {
      resume: dir, interrupt, checkpoint: { dir, everySeconds: 0 },
      progressEverySeconds: 1e-9, onProgress: () => { if (++ticks === 2) Atomics.store(interrupt, 0, 15); },
    });
    expect(second.incompleteReason).toBe('interrupted by SIGTERM');
    expect(comparable(check(cm, { resume: dir }))).toEqual(comparable(whole));
  });

  it('refuses a checkpoint of another run, a missing one, and engines it cannot save', () => {
    const dir = tempDir('checkpoint-other');
    interruptedRun('instantiate-only', dir, 2);
    expect(() => check(compile(benchModel, 'flip-on-ioctl', { files: 2, procs: 3 }), { resume: dir })).toThrow(/the checkpoint is of another run/);
    expect(() => check(compile(benchModel, 'instantiate-only', { files: 2, procs: 3 }), { resume: dir, maxDepth: 4 })).toThrow(UsageError);
    expect(() => check(compile(benchModel, 'instantiate-only', {}), { resume: tempDir('empty') })).toThrow(/no readable checkpoint there/);
    expect(() => check(compile(benchModel, 'instantiate-only', {}), { checkpoint: { dir }, strategy: 'dfs' })).toThrow(/breadth-first search on one thread/);
  });
});
