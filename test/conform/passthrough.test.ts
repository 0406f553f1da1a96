// The conformance harness on the passthrough model, without a VM: the
// fixture is what Linux 6.12.117 (Debian, qemu TCG; the program's own FUSE
// server, backing files on tmpfs) printed for PASSTHROUGH_TOUR (t0) and for
// the landed design's recorded NoPageCacheUserWithPassthrough trace (t1).

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { modelNamed } from '../../cli/registry.js';
import { parseBoot } from '../../conform/parse.js';
import { exampleCases, fileCases, judgeBoot, programOf, type Case } from '../../conform/run.js';
import { randomWalks } from '../../conform/walks.js';
import { PASSTHROUGH_TOUR, traceOf } from '../../testkit/conform-scenario.js';
import { tempDir } from '../../testkit/traces.js';
import { settled } from '../../spec/passthrough/dio-reproducer.js';

const pt = modelNamed('passthrough');
const kernelLog = readFileSync(new URL('./fixtures/passthrough-tour.kernel.log', import.meta.url), 'utf8').replace(/\r/g, '');
const example = new URL('../../traces/examples/passthrough.landed.NoPageCacheUserWithPassthrough.itf.json', import.meta.url).pathname;

/** The tour as run t0, recorded under landed and judged as if the kernel were `design`. */
function tourUnder(design: string): Case {
  const { trace } = traceOf(pt, 'landed', PASSTHROUGH_TOUR, () => true);
  const cm = compile(pt, design, {});
  return { name: 't0', trace, judgedBy: cm, origin: 'PASSTHROUGH_TOUR', saved: { source: 'PASSTHROUGH_TOUR', meta: { constants: cm.constants }, vars: [], steps: [] } };
}
const exampleUnder = (design: string): Case => ({ ...fileCases(pt, design, [example])[0]!, name: 't1' });

describe('passthrough on a kernel: reading the boot', () => {
  it('finds both runs, every step, and the observations of each kind', () => {
    const b = parseBoot(kernelLog);
    expect(b.kernel).toBe('6.12.117+deb12-amd64');
    expect(b.runs.map((r) => [r.trace, r.rc, r.done, r.steps.length, r.other])).toEqual([['t0', 0, true, 23, []], ['t1', 0, true, 4, []]]);
    const kinds = new Set(b.runs[0]!.steps.flatMap((s) => s.obs.map((o) => o.what)));
    expect([...kinds].sort()).toEqual(['data', 'release', 'ret', 'vmas', 'writes']);
    const step8 = b.runs[0]!.steps[8]!;
    expect(step8.label).toBe('Mmap(MAP_SHARED) p1 file1 -> vma1');
    expect(step8.obs.map((o) => `${o.who} ${o.file} ${o.what} ${o.value.join(' ')}`)).toEqual(['p1 file1 ret mmap 0 0', 'p1 - vmas MAP_PRIVATE=0 MAP_SHARED=0 backing_file=1']);
  });
});

describe('passthrough on a kernel: judging against a design', () => {
  it('the landed design explains every step of both runs', () => {
    const r = judgeBoot(pt, [tourUnder('landed'), exampleUnder('landed')], ['tmpfs'], kernelLog).perFs[0]!;
    expect([r.traces, r.steps, r.agreed, r.disagreements]).toEqual([2, 25, 25, []]);
    expect(r.observations).toBeGreaterThan(55);
  });

  it('cache-mmap-taint, which the kernel does not implement, disagrees where the kernel lets the passthrough open in', () => {
    const r = judgeBoot(pt, [tourUnder('cache-mmap-taint'), exampleUnder('cache-mmap-taint')], ['tmpfs'], kernelLog).perFs[0]!;
    expect(r.disagreements.map((d) => [d.trace, d.step, d.label])).toEqual([
      ['t0', 21, 'Open(FOPEN_PASSTHROUGH backing_id=1) p1 -> file2'],
      ['t1', 3, 'Open(FOPEN_PASSTHROUGH backing_id=1) p1 -> file2'],
    ]);
    for (const d of r.disagreements) {
      expect(d.reason).toBe('no state of design cache-mmap-taint takes this step with these observations; with these arguments the design takes: Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO');
      expect(d.observed.map((o) => o.line)).toContain('p1 file2 ret open 13 0');
    }
  });

  it('a wrong release, a missing mapping, a wrong data source and a wrong errno are each caught at their step', () => {
    const at = (text: string) => judgeBoot(pt, [tourUnder('landed')], ['tmpfs'], text).perFs[0]!.disagreements.map((d) => [d.step, d.observed.find((o) => o.agrees === false)?.line ?? d.missing.join(',')]);
    const t0 = kernelLog.slice(0, kernelLog.indexOf('@begin tmpfs t1'));
    // The mapping keeps the file: no release at close (step 5), one at munmap (step 6).
    const early = t0.replace('@step 5 Close p1 file1\n@obs p1 file1 ret close 0 0\n', '@step 5 Close p1 file1\n@obs p1 file1 ret close 0 0\n@obs server file1 release 1\n');
    expect(at(early)).toEqual([[5, 'server file1 release 1']]);
    const noRelease = t0.replace('@obs p1 file1 ret munmap 0 0\n@obs server file1 release 1\n', '@obs p1 file1 ret munmap 0 0\n');
    expect(at(noRelease)).toEqual([[6, 'server file1 release']]);
    expect(at(t0.replace('backing_file=1\n@step 9', 'backing_file=0\n@step 9'))).toEqual([[8, 'p1 - vmas MAP_PRIVATE=0 MAP_SHARED=0 backing_file=0']]);
    expect(at(t0.replace('@obs p1 file1 data backing', '@obs p1 file1 data server'))).toEqual([[9, 'p1 file1 data server']]);
    expect(at(t0.replace('@obs p1 file1 ret mmap -1 ENODEV', '@obs p1 file1 ret mmap -1 ETXTBSY'))).toEqual([[22, 'p1 file1 ret mmap -1 ETXTBSY']]);
  });

  it('the recorded examples the landed design fixes are run, each also judged by its own design', () => {
    const cases = exampleCases(pt, 'landed');
    expect(cases.map((c) => [c.origin, c.own?.cm.design])).toEqual([
      ['passthrough.dio-file-iomode.IomodeWarnOnNeverFires.itf.json', 'dio-file-iomode'],
      ['passthrough.vma-close-refcount.IocachectrNoUnderflow.itf.json', 'vma-close-refcount'],
      ['passthrough.vma-close-refcount.ModeCounterConsistent.itf.json', 'vma-close-refcount'],
    ]);
  });
});

describe('passthrough programs', () => {
  const cm = compile(pt, 'landed', {});
  it('walks take every action, and never a read(2) of a file no process has a descriptor of', () => {
    const walks = randomWalks(cm, pt.presentation!, 300, 10, 1);
    const actions = new Set(walks.flatMap((t) => t.steps.slice(1).map((s) => s.action)));
    // Every action of the default model (the dio steps exist only at dioWrites > 0: next test).
    expect([...actions].sort()).toEqual([...cm.actionNames].sort());
    for (const a of actions) expect(pt.presentation!.c!.steps[a], a).toBeDefined();
    for (const t of walks) {
      t.steps.forEach((s, i) => {
        if (s.action !== 'PageCacheIo' && s.action !== 'PassthroughIo') return;
        const before = t.steps[i - 1]!.state as { file: { heldBy: boolean[] }[] };
        expect(before.file[Number(String(s.params.f).slice(4)) - 1]!.heldBy.some(Boolean)).toBe(true);
      });
    }
  });

  it('at dioWrites=2 walks take the dio steps, and each system call only once the kernel has settled', () => {
    const dio = compile(pt, 'landed', { dioWrites: 2 });
    const walks = randomWalks(dio, pt.presentation!, 300, 10, 1);
    const actions = new Set(walks.flatMap((t) => t.steps.slice(1).map((s) => s.action)));
    for (const a of ['DioWrite', 'DioCheckMode', 'DioLockGranted', 'DioWriteDone', 'OpenWaits', 'OpenWakes']) expect(actions.has(a), a).toBe(true);
    for (const t of walks) {
      t.steps.forEach((s, i) => {
        if (i === 0 || ['DioCheckMode', 'DioLockGranted', 'OpenWakes'].includes(s.action)) return;
        expect(settled(t.steps[i - 1]!.state as never), `${s.label} after an unsettled state`).toBe(true);
      });
    }
  });

  it('compile warning-free, and name the server reply and the slot of each open', () => {
    const c = tourUnder('landed');
    const src = programOf(pt, c);
    expect(src).toContain('#define NBACKINGS 1');
    expect(src).toContain('open_file(P(0), F(0), REPLY_CACHING, 1);');
    expect(src).toContain('open_file(P(0), -1, REPLY_PASSTHROUGH, 1);');
    expect(src).toContain('mmap_file(P(0), F(0), MAP_KIND_BACKING, 1, 0);');
    const dir = tempDir('conform-pt');
    writeFileSync(join(dir, 'tour.c'), src);
    const r = spawnSync('gcc', ['-Wall', '-Werror', '-O1', '-o', join(dir, 'tour'), join(dir, 'tour.c')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
