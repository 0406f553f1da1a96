// Booting again for what a dying boot left (conform/boots.ts), without a VM:
// a fake boot plays back the recorded 6.12 output of FLAG_WHILE_OPEN
// (fixtures/flag-while-open.kernel.log) for the runs it is asked for, and
// dies where a scenario says, as the CI boot did that ended after a few
// seconds with no program started.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConform } from '../../cli/conform.js';
import { modelNamed } from '../../cli/registry.js';
import { bootUntilDone, type BootAttempt, type RunId } from '../../conform/boots.js';
import { judgeBoot, type Case, type ConformReport } from '../../conform/run.js';
import { FLAG_WHILE_OPEN, traceOf } from '../../testkit/conform-scenario.js';

const dax = modelNamed('dax');
const log = readFileSync(new URL('./fixtures/flag-while-open.kernel.log', import.meta.url), 'utf8').replace(/\r/g, '');
const lines = log.split('\n');
const header = lines.filter((l) => l.startsWith('@vm ') || l.startsWith('@vm-ready')).join('\n') + '\n';
/** The recorded `@fs` line and run of trace t0 on `fs`. */
const segment = (fs: string) => {
  const from = lines.findIndex((l) => l.startsWith(`@fs ${fs} `));
  const to = lines.indexOf(`@end ${fs} t0 rc=0`);
  return lines.slice(from, to + 1).join('\n') + '\n';
};
const runs: RunId[] = [{ fs: 'ext4', trace: 't0' }, { fs: 'xfs', trace: 't0' }];
const c: Case = (() => {
  const { cm, trace } = traceOf(dax, 'instantiate-only', FLAG_WHILE_OPEN);
  return { name: 't0', trace, judgedBy: cm, origin: 'FLAG_WHILE_OPEN', saved: { source: 'FLAG_WHILE_OPEN', meta: { constants: cm.constants }, vars: [], steps: [] } };
})();

/** How boot k (1-based) ends: it runs its runs whole, or dies `before` a run, or dies `inside` one at its step 6. */
type Ending = { readonly dies?: undefined } | { readonly dies: 'before' | 'inside'; readonly at: RunId };

/** A fake VM: the recorded output for each run asked, cut where `endings[k]` says; what each boot was asked. */
function fakeVm(endings: readonly Ending[]) {
  const asked: { todo: RunId[]; timeout: number }[] = [];
  const once = async (todo: readonly RunId[], timeout: number): Promise<BootAttempt> => {
    const e = endings[asked.length] ?? {};
    asked.push({ todo: [...todo], timeout });
    let out = header;
    for (const r of todo) {
      const seg = segment(r.fs);
      if (e.dies && e.at.fs === r.fs && e.at.trace === r.trace) {
        if (e.dies === 'inside') out += seg.slice(0, seg.indexOf('@step 6'));
        return { output: out, seconds: 3, exitCode: 0, timedOut: false, consoleLog: 'Kernel panic - not syncing: fake\n' };
      }
      out += seg;
    }
    return { output: `${out}@vm-end uptime=12\n`, seconds: 10, exitCode: 0, timedOut: false, consoleLog: '' };
  };
  return { once, asked };
}

const quiet = () => {};
const timeoutOf = (n: number) => 120 + 5 * n;

describe('booting again for what a dying boot left', () => {
  it('a boot that ends before any program runs is booted again for every run, and the verdicts are those of a whole boot', async () => {
    const vm = fakeVm([{ dies: 'before', at: runs[0]! }]);
    const b = await bootUntilDone(vm.once, runs, timeoutOf, 3, quiet);
    expect(vm.asked.map((a) => a.todo)).toEqual([runs, runs]);
    expect(b.boots).toBe(2);
    expect(b.deaths.map((d) => [d.boot, d.during, d.console])).toEqual([[1, undefined, ['Kernel panic - not syncing: fake']]]);
    expect([b.killedKernel, b.notRun]).toEqual([[], []]);
    const r = judgeBoot(dax, [c], ['ext4', 'xfs'], b.parsed, b);
    expect(r.perFs.map((f) => [f.fs, f.steps, f.agreed, f.disagreements.length, f.notRun])).toEqual([['ext4', 11, 11, 0, 0], ['xfs', 11, 11, 0, 0]]);
  });

  it('the next boot runs only what the dead one did not finish, the run it died in included', async () => {
    const vm = fakeVm([{ dies: 'inside', at: runs[1]! }]);
    const b = await bootUntilDone(vm.once, runs, timeoutOf, 3, quiet);
    expect(vm.asked.map((a) => [a.todo, a.timeout])).toEqual([[runs, 130], [[runs[1]], 125]]);
    expect(b.deaths.map((d) => d.during)).toEqual([runs[1]]);
    // The finished xfs run replaces the cut one: the merged output has one run per file system.
    expect(b.parsed.runs.map((x) => [x.fs, x.rc, x.steps.length])).toEqual([['ext4', 0, 12], ['xfs', 0, 12]]);
    expect(b.parsed.mounts.length).toBe(2);
    expect(judgeBoot(dax, [c], ['ext4', 'xfs'], b.parsed, b).perFs.every((f) => f.agreed === 11 && f.disagreements.length === 0)).toBe(true);
  });

  it('a run two boots died under is left out and disagrees where the kernel stopped answering; the others still run', async () => {
    const vm = fakeVm([{ dies: 'inside', at: runs[0]! }, { dies: 'inside', at: runs[0]! }]);
    const b = await bootUntilDone(vm.once, runs, timeoutOf, 3, quiet);
    expect(vm.asked.map((a) => a.todo)).toEqual([runs, runs, [runs[1]]]);
    expect(b.killedKernel).toEqual([runs[0]]);
    expect(b.notRun).toEqual([]);
    const r = judgeBoot(dax, [c], ['ext4', 'xfs'], b.parsed, b);
    expect(r.perFs[0]!.disagreements.map((d) => [d.step, d.reason])).toEqual([[6, expect.stringMatching(/did not report step 6.*two boots died while it ran/)]]);
    expect(r.perFs[1]!.disagreements).toEqual([]);
  });

  it('when every boot dies, what none finished is unjudged and the report says the run is incomplete', async () => {
    const vm = fakeVm([{ dies: 'before', at: runs[0]! }, { dies: 'before', at: runs[0]! }, { dies: 'inside', at: runs[1]! }]);
    const b = await bootUntilDone(vm.once, runs, timeoutOf, 3, quiet);
    expect(b.boots).toBe(3);
    // The third boot finished ext4 and died in xfs once: xfs is unjudged, not a disagreement.
    expect([b.killedKernel, b.notRun]).toEqual([[], [runs[1]]]);
    const judged = judgeBoot(dax, [c], ['ext4', 'xfs'], b.parsed, b);
    expect(judged.perFs.map((f) => [f.fs, f.agreed, f.disagreements.length, f.notRun])).toEqual([['ext4', 11, 0, 0], ['xfs', 0, 0, 1]]);
    const report: ConformReport = {
      model: 'dax', design: 'instantiate-only', kernel: '6.12', kernelPackage: 'linux-image', mounts: judged.mounts,
      boots: b.boots, bootSeconds: b.seconds, buildSeconds: 1, deaths: b.deaths, killedKernel: b.killedKernel, notRun: b.notRun,
      traces: { walks: 0, examples: 0, given: 1 }, perFs: judged.perFs, seconds: 20,
    };
    const text = formatConform(report);
    expect(text).toContain('3 boots');
    expect(text).toContain('xfs: 1 traces (1 not run)');
    expect(text).toMatch(/boot 3 ended before its end: qemu exited 0 after 3\.0 s, during t0 on xfs; the kernel console's last lines:\n {4}Kernel panic - not syncing: fake/);
    expect(text).toMatch(/INCOMPLETE: 1 runs unjudged after 3 boots \(t0 on xfs\)/);
  });
});
