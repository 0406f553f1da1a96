// The conformance harness without a VM: reading a boot's output, judging it
// step by step against a design, and catching a design the kernel does not
// implement. The fixture is what Linux 6.12.117 (Debian, qemu TCG, fsdax
// NVDIMM, ext4 and xfs with -o dax=inode) printed for FLAG_WHILE_OPEN.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { modelNamed } from '../../cli/registry.js';
import { parseBoot, parseObservation } from '../../conform/parse.js';
import { judgeBoot, programOf, walkCases, type Case } from '../../conform/run.js';
import { randomWalks } from '../../conform/walks.js';
import { tempDir } from '../../testkit/traces.js';
import { FLAG_WHILE_OPEN, traceOf } from '../../testkit/conform-scenario.js';

const dax = modelNamed('dax');
/** As the serial port wrote it: the guest's tty ends each line with \r\n. */
const rawLog = readFileSync(new URL('./fixtures/flag-while-open.kernel.log', import.meta.url), 'utf8');
const kernelLog = rawLog.replace(/\r/g, '');

/** FLAG_WHILE_OPEN as run `t0`, judged as if the kernel were `design`. */
function caseUnder(design: string): Case {
  const { cm, trace } = traceOf(dax, design, FLAG_WHILE_OPEN);
  return { name: 't0', trace, judgedBy: cm, origin: 'FLAG_WHILE_OPEN', saved: { source: 'FLAG_WHILE_OPEN', meta: { constants: cm.constants }, vars: [], steps: [] } };
}

describe('reading a boot', () => {
  it('parses observation lines, and nothing else as one', () => {
    expect(parseObservation('@obs p2 f1 ret mmap -1 EINVAL')).toEqual({ who: 'p2', file: 'f1', what: 'ret', value: ['mmap', '-1', 'EINVAL'] });
    expect(parseObservation('@obs path f1 sdax 0')).toEqual({ who: 'path', file: 'f1', what: 'sdax', value: ['0'] });
    expect(parseObservation('@obs p1')).toBeUndefined();
    expect(parseObservation('step 1: Open')).toBeUndefined();
  });

  it('splits the output into runs per file system, steps and observations', () => {
    expect(rawLog).toContain('\r\n');
    const b = parseBoot(rawLog);
    expect(b.kernel).toBe('6.12.117+deb12-amd64');
    expect(b.complete).toBe(true);
    expect(b.errors).toEqual([]);
    expect(b.mounts.map((m) => m.split(' ')[2])).toEqual(['ext4', 'xfs']);
    expect(b.runs.map((r) => [r.fs, r.trace, r.rc, r.done, r.steps.length])).toEqual([['ext4', 't0', 0, true, 12], ['xfs', 't0', 0, true, 12]]);
    const step2 = b.runs[0]!.steps[2]!;
    expect(step2.label).toBe('SetFlag(FS_XFLAG_DAX=1) p1 f1');
    expect(step2.obs.map((o) => `${o.who} ${o.what} ${o.value.join(' ')}`)).toEqual(['p1 ret ioctl 0 0', 'p1 sdax 0 fd', 'p1 size 4096', 'p1 xflag 1']);
    expect(Object.keys(b.fsSeconds)).toEqual(['ext4', 'xfs']);
    // An interrupted boot: the run has no exit status and is not done.
    const cut = parseBoot(kernelLog.slice(0, kernelLog.indexOf('@step 6')));
    expect(cut.complete).toBe(false);
    expect(cut.runs[0]!.rc).toBeUndefined();
    expect(cut.runs[0]!.done).toBe(false);
  });
});

describe('judging a run against a design', () => {
  it('the landed design explains every step the kernel took, on both file systems', () => {
    const r = judgeBoot(dax, [caseUnder('instantiate-only')], ['ext4', 'xfs'], kernelLog);
    expect(r.perFs.map((f) => [f.fs, f.steps, f.agreed, f.disagreements.length])).toEqual([['ext4', 11, 11, 0], ['xfs', 11, 11, 0]]);
    expect(r.perFs[0]!.observations).toBeGreaterThan(30);
  });

  it('a design the kernel does not implement (flip-on-ioctl) disagrees where S_DAX stays put under the open file', () => {
    const wrong = caseUnder('flip-on-ioctl');
    // The same program: only the model's expectations differ.
    const calls = (c: Case) => programOf(dax, c).split('\n').filter((l) => /^  (run|fork_proc|exit_proc|lookup_path|writeback|setup_file)\((P|F)\(/.test(l));
    expect(calls(wrong)).toEqual(calls(caseUnder('instantiate-only')));
    expect(calls(wrong)).toHaveLength(FLAG_WHILE_OPEN.length + 1);
    const r = judgeBoot(dax, [wrong], ['ext4', 'xfs'], kernelLog);
    for (const f of r.perFs) {
      expect(f.disagreements).toHaveLength(1);
      const d = f.disagreements[0]!;
      expect(d.step).toBe(2);
      expect(d.label).toBe('SetFlag(FS_XFLAG_DAX=1) p1 f1');
      expect(d.observed).toContainEqual({ line: 'p1 f1 sdax 0 fd', expected: '1', agrees: false });
      expect(d.observed).toContainEqual({ line: 'p1 f1 xflag 1', expected: '1', agrees: true });
      expect(f.agreed).toBe(1);
    }
  });

  it('a recorded counterexample is also judged against its own design: where it parts from the kernel', () => {
    const c = { ...caseUnder('instantiate-only'), own: { cm: caseUnder('flip-on-ioctl').judgedBy, divergesAt: 2 } };
    const r = judgeBoot(dax, [c], ['ext4', 'xfs'], kernelLog);
    expect(r.perFs.map((f) => f.disagreements.length)).toEqual([0, 0]);
    expect(r.perFs.map((f) => f.historical)).toEqual([0, 1].map(() => [{ trace: 't0', origin: 'FLAG_WHILE_OPEN', design: 'flip-on-ioctl', partsAt: 2, divergesAt: 2 }]));
  });

  it('a wrong data version, a missing holder and a run cut short are each a disagreement at their step', () => {
    const ok = caseUnder('instantiate-only');
    const ext4 = kernelLog.slice(0, kernelLog.indexOf('@begin xfs'));
    const stale = judgeBoot(dax, [ok], ['ext4'], ext4.replace('@obs p1 f1 data 1', '@obs p1 f1 data 0')).perFs[0]!;
    expect(stale.disagreements.map((d) => [d.step, d.observed.find((o) => o.agrees === false)])).toEqual([[8, { line: 'p1 f1 data 0', expected: '1', agrees: false }]]);
    // After the fork, p2 holds the file: the model needs its S_DAX.
    const at9 = ext4.indexOf('@step 9');
    const noChild = ext4.slice(0, at9) + ext4.slice(at9).replace('@obs p2 f1 sdax 1 fd\n', '');
    const missing = judgeBoot(dax, [ok], ['ext4'], noChild).perFs[0]!.disagreements;
    expect(missing.map((d) => [d.step, d.missing])).toEqual([[9, ['p2 f1 sdax']]]);
    const cut = judgeBoot(dax, [ok], ['ext4'], ext4.slice(0, ext4.indexOf('@step 6'))).perFs[0]!.disagreements;
    expect(cut.map((d) => d.step)).toEqual([6]);
    expect(cut[0]!.reason).toMatch(/did not report step 6 \(exit status none/);
    const signal = judgeBoot(dax, [ok], ['ext4'], ext4.replace('@obs p1 f1 stored 1', '@obs p1 f1 signal SIGBUS')).perFs[0]!.disagreements;
    expect(signal.map((d) => d.step)).toEqual([4]);
  });

  it('a trace the boot never ran disagrees at its first step', () => {
    const r = judgeBoot(dax, [caseUnder('instantiate-only')], ['ext4'], '@vm kernel=6.12\n@vm-error mount ext4 -o dax=inode: invalid argument\n@vm-end uptime=1\n');
    expect(r.errors).toEqual(['mount ext4 -o dax=inode: invalid argument']);
    expect(r.perFs[0]!.disagreements.map((d) => [d.step, d.reason])).toEqual([[1, expect.stringContaining('mount ext4 -o dax=inode: invalid argument')]]);
  });
});

describe('evictions seen through the tracepoints', () => {
  const ok = caseUnder('instantiate-only');
  const ext4 = kernelLog.slice(0, kernelLog.indexOf('@begin xfs'));
  /** The run as a program watching ext4_evict_inode prints it, with `lines` added to step `n`. */
  const traced = (add: Readonly<Record<number, string>>) => ext4.replace(/^@step (\d+) (.*)$/gm, (line, n: string) =>
    Number(n) === 0 ? line : `${line}\n@obs kernel - tracing${add[Number(n)] ? `\n${add[Number(n)]}` : ''}`);
  const at = (text: string) => judgeBoot(dax, [ok], ['ext4'], text).perFs[0]!.disagreements.map((d) => [d.step, d.observed.find((o) => o.agrees === false)?.line ?? d.missing.join(',')]);

  it('the munmap that drops the last reference evicts, and nothing else does', () => {
    expect(at(traced({ 6: '@obs kernel f1 evicted' }))).toEqual([]);
  });

  it('an eviction the model makes that the kernel did not, and one the kernel made that the model did not, are caught', () => {
    expect(at(traced({}))).toEqual([[6, 'kernel f1 evicted']]);
    expect(at(traced({ 5: '@obs kernel f1 evicted', 6: '@obs kernel f1 evicted' }))).toEqual([[5, 'kernel f1 evicted']]);
  });

  it('MAP_SYNC acceptance is S_DAX seen a second way: judged where the program printed it', () => {
    const mapsync = (v: number) => ext4.replace('@obs p1 f1 sdax 1 fd\n', `@obs p1 f1 sdax 1 fd\n@obs p1 f1 mapsync ${v}${v ? '' : ' EOPNOTSUPP'}\n`);
    expect(at(mapsync(1))).toEqual([]);
    expect(at(mapsync(0))).toEqual([[7, 'p1 f1 mapsync 0 EOPNOTSUPP']]);
  });

  it('the kind of the live mapping (smaps VmFlags) is the one mmap chose: page cache, the flag set on the open file notwithstanding', () => {
    const kind = (k: string) => ext4.replace('@obs p1 f1 ret mmap 0 0\n', `@obs p1 f1 ret mmap 0 0\n@obs p1 f1 vma ${k}\n`);
    expect(at(kind('pagecache'))).toEqual([]);
    expect(at(kind('dax'))).toEqual([[3, 'p1 f1 vma dax']]);
  });

  it('without the tracing line no eviction is asked for (a kernel without the tracepoints)', () => {
    expect(at(ext4)).toEqual([]);
  });
});

describe('drop_caches is a request, not an order', () => {
  it('an eviction the kernel did not do is allowed, and so is one it did', () => {
    const moves = [
      ['Open', { p: 'p1', f: 'f1' }], ['SetFlag', { p: 'p1', f: 'f1', v: true }], ['Close', { p: 'p1', f: 'f1' }],
      ['Open', { p: 'p1', f: 'f1' }], ['Close', { p: 'p1', f: 'f1' }], ['DropCaches', { f: 'f1' }], ['Open', { p: 'p1', f: 'f1' }],
    ] as const;
    const { cm, trace } = traceOf(dax, 'instantiate-only', moves);
    const c: Case = { name: 't0', trace, judgedBy: cm, origin: 'drop', saved: { source: 'drop', meta: { constants: cm.constants }, vars: [], steps: [] } };
    const held = (sdax: number, xflag: number) => `@obs p1 f1 sdax ${sdax} fd\n@obs p1 f1 size 4096\n@obs p1 f1 xflag ${xflag}\n`;
    const log = (last: string) => '@begin ext4 t0\n@step 0 initial state\n'
      + `@step 1 Open\n@obs p1 f1 ret open 3 0\n${held(0, 0)}@step 2 SetFlag\n@obs p1 f1 ret ioctl 0 0\n${held(0, 1)}`
      + '@step 3 Close\n@obs p1 f1 ret close 0 0\n'
      + `@step 4 Open\n@obs p1 f1 ret open 3 0\n${held(1, 1)}@step 5 Close\n@obs p1 f1 ret close 0 0\n@step 6 DropCaches\n@obs parent - ret shell 0 0\n`
      + `@step 7 Open\n@obs p1 f1 ret open 3 0\n${last}@done\n@end ext4 t0 rc=0\n`;
    expect(judgeBoot(dax, [c], ['ext4'], log(held(1, 1))).perFs[0]!.disagreements).toEqual([]);
    // Reclaim cannot change S_DAX here (the flag did not change since), but a wrong S_DAX is still caught.
    expect(judgeBoot(dax, [c], ['ext4'], log(held(0, 1))).perFs[0]!.disagreements.map((d) => d.step)).toEqual([7]);
    // Watched through the tracepoints, the eviction is checked: the close after the flag change
    // evicts (step 3, I_DONTCACHE); then drop_caches may evict or not, but the reopen does not.
    const traced = (text: string, at: number) => text.replace(/^(@step (\d+) .*)$/gm, (line, _l, n: string) => (Number(n) === 0 ? line
      : `${line}\n@obs kernel - tracing${Number(n) === at || Number(n) === 3 ? '\n@obs kernel f1 evicted' : ''}`));
    const steps = (text: string) => judgeBoot(dax, [c], ['ext4'], text).perFs[0]!.disagreements.map((d) => d.step);
    expect(steps(traced(log(held(1, 1)), 6))).toEqual([]);
    expect(steps(traced(log(held(1, 1)), 0))).toEqual([]);
    expect(steps(traced(log(held(1, 1)), 7))).toEqual([7]);
  });

  it('reclaim leaves a DAX inode that was faulted through a mapping: its DAX entries stay in i_pages (6.12)', () => {
    const faulted = [
      ['Open', { p: 'p1', f: 'f1' }], ['SetFlag', { p: 'p1', f: 'f1', v: true }], ['Close', { p: 'p1', f: 'f1' }],
      ['Open', { p: 'p1', f: 'f1' }], ['Mmap', { p: 'p1', f: 'f1' }], ['PageFault', { p: 'p1', f: 'f1', write: false }],
      ['Munmap', { p: 'p1', f: 'f1' }], ['Close', { p: 'p1', f: 'f1' }],
    ] as const;
    const { trace } = traceOf(dax, 'instantiate-only', faulted);
    const last = trace.steps[trace.steps.length - 1]!.state as { inode: string[]; sDax: boolean[]; daxEntries: boolean[] };
    expect([last.inode[0], last.sDax[0], last.daxEntries[0]]).toEqual(['cached', true, true]);
    expect(() => traceOf(dax, 'instantiate-only', [...faulted, ['DropCaches', { f: 'f1' }]])).toThrow('DropCaches {"f":"f1"} is not enabled');
    // Mapped and closed but never faulted, the same DAX inode can go.
    const unfaulted = faulted.filter(([a]) => a !== 'PageFault');
    expect(traceOf(dax, 'instantiate-only', [...unfaulted, ['DropCaches', { f: 'f1' }]]).trace.steps.at(-1)!.state.inode[0]).toBe('reclaimed');
  });
});

describe('walks', () => {
  const cm = compile(dax, 'instantiate-only', {});
  it('are the same for the same seed, differ for another, and take only steps a program can do', () => {
    const show = (seed: number) => randomWalks(cm, dax.presentation!, 20, 8, seed).map((t) => t.steps.map((s) => s.label).join(' / '));
    expect(show(7)).toEqual(show(7));
    expect(show(7)).not.toEqual(show(8));
    const actions = new Set(randomWalks(cm, dax.presentation!, 200, 8, 1).flatMap((t) => t.steps.slice(1).map((s) => s.action)));
    for (const a of actions) expect(Object.keys(dax.presentation!.c!.steps)).toContain(a);
    expect(actions.size).toBeGreaterThan(8);
    for (const t of randomWalks(cm, dax.presentation!, 50, 5, 3)) expect(t.steps.length - 1).toBeLessThanOrEqual(5);
  });

  it('become programs that print the machine format (-m) and still the human one without it', () => {
    const c = walkCases(dax, cm, 1, 6, 11)[0]!;
    const dir = tempDir('conform-walk');
    const src = join(dir, 'walk.c');
    writeFileSync(src, programOf(dax, c));
    const bin = join(dir, 'walk');
    const r = spawnSync('gcc', ['-Wall', '-Werror', '-O1', '-o', bin, src], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    mkdirSync(join(dir, 'files'));
    const ran = spawnSync(bin, ['-m', join(dir, 'files')], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const machine = ran.stdout;
    // A temporary directory of the test machine has no DAX; the program says so and goes on.
    expect(ran.stderr).toMatch(/^repro: \S+ is not on a DAX-capable mount \(\S+ on device \d+:\d+, whose queue\/dax is not 1\)/);
    const run = parseBoot(`@begin ext4 w0\n${machine}@end ext4 w0 rc=0\n`).runs[0]!;
    expect(run.done).toBe(true);
    expect(run.other).toEqual([]);
    expect(run.steps.map((s) => s.n)).toEqual(c.trace.steps.map((s) => s.index));
    const human = execFileSync(bin, [join(dir, 'files2')].map((d) => (mkdirSync(d), d)), { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(human).not.toMatch(/^@/m);
    expect(human.trimEnd().endsWith('done')).toBe(true);
    expect(human).toMatch(new RegExp(`^summary: ${c.trace.steps.length - 1} steps; the kernel's return values were what the model's step expects in \\d+`, 'm'));
    const env = execFileSync(bin, [join(dir, 'files3')].map((d) => (mkdirSync(d), d)), { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DAXCHECK_OBS: '1' } });
    expect(env.trimEnd().endsWith('@done')).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
