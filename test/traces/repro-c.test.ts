import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, findInstance } from '../../checker/compile.js';
import { Stepper } from '../../testkit/steps.js';
import { modelNamed } from '../../cli/registry.js';
import { models } from '../../spec/index.js';
import { replayInstances } from '../../checker/trace.js';
import { decodeTrace, readSavedTrace } from '../../traces/codec.js';
import { encodeTrace } from '../../traces/encode.js';
import { formatItf } from '../../traces/itf-write.js';
import { loadTrace } from '../../traces/load.js';
import { compileFor } from '../../traces/replay.js';
import { reproC } from '../../traces/repro-c.js';
import { examplesDir, tempDir } from '../../testkit/traces.js';

function generate(path: string): string {
  const saved = loadTrace(path);
  const model = modelNamed(saved.meta.model!);
  const cm = compileFor(model, saved, {});
  return reproC(decodeTrace(saved, cm), { saved, model: cm.model, design: cm.design, constants: cm.constants, schema: cm.layout.schema, presentation: model.presentation });
}

/** Compiles with the warnings a kernel developer would use, as errors; returns the binary. */
function gcc(source: string, dir: string, name: string): string {
  const c = join(dir, `${name}.c`);
  const bin = join(dir, name);
  writeFileSync(c, source);
  const r = spawnSync('gcc', ['-Wall', '-Werror', '-O2', '-o', bin, c], { encoding: 'utf8' });
  expect(r.stderr, `gcc on ${name}.c`).toBe('');
  expect(r.status).toBe(0);
  return bin;
}

describe('C reproducers', () => {
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.itf.json'));
  const reproducible = examples.filter((f) => models[f.split('.')[0]!]?.presentation?.c !== undefined);

  it('there is a recorded example to turn into a program', () => {
    expect(reproducible.length).toBeGreaterThan(0);
  });

  for (const file of reproducible) {
    it(`${file}: compiles with gcc -Wall -Werror and runs every step on a plain directory`, () => {
      const dir = tempDir('repro');
      const src = generate(join(examplesDir, file));
      const bin = gcc(src, dir, 'repro');
      mkdirp(join(dir, 'files'));
      const out = execFileSync(bin, [join(dir, 'files')], { encoding: 'utf8', timeout: 20_000 });
      const steps = loadTrace(join(examplesDir, file)).steps.length - 1;
      expect(out).toContain(`step ${steps}: `);
      expect(out).toMatch(/MODEL: .* fails here/);
      expect(out.trimEnd().endsWith('done')).toBe(true);
    });
  }

  it('several processes, and a step no program can do (eviction) becomes a comment and a by-hand instruction', () => {
    const bench = modelNamed('bench');
    const cm = compile(bench, 'instantiate-only');
    const inst = (a: string, p: Record<string, unknown>) => findInstance(cm, a, p)!;
    const trace = {
      steps: replayInstances(cm, cm.inits[0]!, [
        inst('Open', { p: 'p1', f: 'f2' }), inst('Close', { p: 'p1', f: 'f2' }),
        inst('Evict', { f: 'f2' }), inst('Open', { p: 'p2', f: 'f2' }), inst('Mmap', { p: 'p2', f: 'f2' }), inst('Fault', { p: 'p2', f: 'f2' }),
        inst('Munmap', { p: 'p2', f: 'f2' }),
      ]),
      variables: cm.layout.slotNames,
    };
    const saved = readSavedTrace(formatItf(encodeTrace(trace, cm)), 'evict.itf.json');
    const src = reproC(decodeTrace(saved, cm), { saved, model: 'bench', design: cm.design, constants: cm.constants, schema: cm.layout.schema, presentation: bench.presentation });
    expect(src).toContain('/* No user program can do this: the kernel evicts f2\'s unused inode by itself');
    expect(src).toContain('manual(3, "Evict(f2)"');
    expect(src).toContain('run(P(1), OP_MMAP, F(1), PROT_READ | PROT_WRITE);');
    const dir = tempDir('evict');
    const bin = gcc(src, dir, 'evict');
    mkdirp(join(dir, 'files'));
    const out = execFileSync(bin, [join(dir, 'files')], { encoding: 'utf8', timeout: 20_000 });
    expect(out).toContain('step 3: Evict(f2)    [by hand]');
    expect(out).toContain('by hand: sync; echo 2 > /proc/sys/vm/drop_caches');
    expect(out).toMatch(/p2: open\(f2, O_RDWR\) = \d+/);
    expect(out).toMatch(/p2: loaded 0 from f2's mapping/);
    expect(out).toContain('p2: munmap(f2) = 0');
  });

  it('an action the model does not map is a clear error naming the mapped ones; a model with no C part is refused', () => {
    const path = join(examplesDir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json');
    const saved = loadTrace(path);
    const bench = modelNamed('bench');
    const cm = compileFor(bench, saved, {});
    const info = { saved, model: cm.model, design: cm.design, constants: cm.constants, schema: cm.layout.schema };
    const { Open: _open, ...withoutOpen } = bench.presentation!.c!.steps;
    const unmapped = { ...bench.presentation!, c: { ...bench.presentation!.c!, steps: withoutOpen } };
    expect(() => reproC(decodeTrace(saved, cm), { ...info, presentation: unmapped }))
      .toThrow("model bench: action 'Open' has no system-call mapping; mapped actions are: Close, Mmap, Munmap, Fault, SetFlag, Evict");
    const { c: _c, ...wordsOnly } = bench.presentation!;
    expect(() => reproC(decodeTrace(saved, cm), { ...info, presentation: wordsOnly })).toThrow(/^model bench has no C reproducer: its definition gives no C part/);
    expect(() => reproC(decodeTrace(saved, cm), info)).toThrow(/^model bench has no C reproducer/);
  });

  it('the runtime is a C file of its own that compiles by itself', () => {
    const runtime = new URL('../../traces/repro/runtime.c', import.meta.url).pathname;
    const r = spawnSync('gcc', ['-fsyntax-only', '-Wall', '-Werror', '-Wno-unused-function', runtime], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

function mkdirp(p: string): void {
  execFileSync('mkdir', ['-p', p]);
}

describe('a DAX-model reproducer with every kind of step', () => {
  it('virtiofs, cache=auto: fork, exit, a timeout, statx by path, reclaim; compiles and runs', () => {
    const model = modelNamed('dax');
    const cm = compile(model, 'virtiofs-v6', { cache: 'auto', procs: 2 });
    const { layout } = cm;
    // Walks the model by action and processes/files only; the one enabled instance is taken.
    const stepper = new Stepper(cm);
    const init = cm.inits.find((i) => { const s = layout.decode(stepper.initial(i)) as any; return s.size[0] === 'small' && s.xflagDax[0] === false; })!;
    let state = stepper.initial(init);
    const path: typeof cm.instances[number][] = [];
    const take = (name: string, who: Record<string, string>) => {
      const ok = stepper.enabled(state).filter(({ inst }) => {
        const shown = cm.showParams(inst);
        return inst.name === name && Object.entries(who).every(([k, v]) => shown[k] === v);
      });
      expect(ok.map(({ inst }) => cm.label(inst)), `${name} ${JSON.stringify(who)}`).toHaveLength(1);
      state = ok[0]!.after;
      path.push(ok[0]!.inst);
    };
    take('Open', { p: 'p1', f: 'f1' });
    take('Mmap', { p: 'p1', f: 'f1' });
    take('PageFault', { p: 'p1', f: 'f1', write: true });
    take('Fork', { p: 'p1', q: 'p2' });
    take('PageFault', { p: 'p2', f: 'f1', write: false });
    take('Timeout', { f: 'f1' });
    take('Statx', { f: 'f1' });
    take('Exit', { p: 'p2' });
    take('Munmap', { p: 'p1', f: 'f1' });
    take('Close', { p: 'p1', f: 'f1' });
    const trace = { steps: replayInstances(cm, init, path), variables: layout.slotNames };
    const saved = readSavedTrace(formatItf(encodeTrace(trace, cm)), 'virtiofs.itf.json');
    const src = reproC(decodeTrace(saved, cm), { saved, model: 'dax', design: cm.design, constants: cm.constants, schema: layout.schema, presentation: model.presentation });
    expect(src).toContain('fork_proc(P(0), P(1));');
    expect(src).toContain('exit_proc(P(1));');
    expect(src).toContain('wait_timeout();');
    expect(src).toContain('lookup_path(F(0));');
    expect(src).toContain('run(P(0), OP_FAULT_WRITE, F(0), next_version(F(0)));');
    expect(src).toContain('virtiofs with a DAX window, mounted with -o dax=inode');
    const dir = tempDir('virtiofs');
    const bin = gcc(src.replace('#define FUSE_TIMEOUT_SECONDS 2', '#define FUSE_TIMEOUT_SECONDS 0'), dir, 'virtiofs');
    mkdirp(join(dir, 'files'));
    const out = execFileSync(bin, [join(dir, 'files')], { encoding: 'utf8', timeout: 20_000 });
    expect(out).toContain('p1: stored 1 into f1\'s mapping');
    expect(out).toContain('p2: forked from p1');
    expect(out).toMatch(/p2: loaded 1 from f1's mapping/);
    expect(out).toMatch(/statx\(f1\): S_DAX=[01?]/);
    expect(out).toContain('p2: exited');
    expect(out).toContain('p1: munmap(f1) = 0');
    expect(out).toContain('p1: close(f1) = 0');
    expect(out.trimEnd().endsWith('done')).toBe(true);
  });
});
