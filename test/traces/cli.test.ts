import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/traces.js';

const bin = fileURLToPath(new URL('../../bin/daxcheck.js', import.meta.url));

describe('trace commands', () => {
  let dir: string;
  let trace: string;
  beforeAll(() => {
    dir = tempDir('cli');
    const r = daxcheck('check', 'bench', '--design', 'flip-on-ioctl', '--trace-out', dir);
    expect(r.code).toBe(1);
    trace = join(dir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json');
    expect(r.stderr).toContain(`Trace written: ${trace}`);
  });

  it('check --trace-out writes one ITF file per violated property', () => {
    expect(readdirSync(dir)).toEqual(['bench.flip-on-ioctl.NoMixedMappings.itf.json']);
    const j = JSON.parse(readFileSync(trace, 'utf8'));
    expect(j.states).toHaveLength(6);
    const none = tempDir('none');
    const ok = daxcheck('check', 'bench', '--trace-out', none, '--const', 'files=1');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('No violation, so no trace written');
    expect(readdirSync(none)).toEqual([]);
  });

  it('with --json, check still prints only JSON on stdout; the trace paths go to stderr', () => {
    const out = tempDir('json');
    const r = daxcheck('check', 'bench', '--design', 'flip-on-ioctl', '--json', '--trace-out', out);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).properties[0].name).toBe('NoMixedMappings');
    expect(r.stderr).toContain('Trace written: ');
    expect(readdirSync(out)).toHaveLength(1);
  });

  it('replay exits 0 when the violation reproduces, 1 when the fix blocks it', () => {
    const same = daxcheck('replay', trace);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Reproduced: every step is enabled under design flip-on-ioctl and gives the recorded state; NoMixedMappings fails at step 5.');
    const fixed = daxcheck('replay', trace, '--design', 'instantiate-only');
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toContain('REFUSED: Fault is not enabled under design instantiate-only');
    const json = JSON.parse(daxcheck('replay', trace, '--design', 'instantiate-only', '--json').stdout);
    expect(json).toMatchObject({ verdict: 'diverges', stateDivergence: { step: 4 }, refusal: { step: 5, reason: 'guard' } });
  });

  it('replay exits 1 when a trace replays but no longer violates anything', () => {
    const j = JSON.parse(readFileSync(trace, 'utf8'));
    j.states = j.states.slice(0, 5);
    delete j['#meta'].violatingStep;
    const short = join(dir, 'short.itf.json');
    writeFileSync(short, JSON.stringify(j));
    const r = daxcheck('replay', short);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Replays exactly under design flip-on-ioctl, but NoMixedMappings does not fail.');
  });

  it('bad input exits 2 with a message naming what was wrong and what is accepted', () => {
    const missing = daxcheck('replay', join(dir, 'nope.itf.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read trace file');
    expect(missing.stderr).toContain('no such file');
    const broken = join(dir, 'broken.itf.json');
    writeFileSync(broken, readFileSync(trace, 'utf8').replace('["f2",false]]},"cached"', '["f2",7]]},"cached"'));
    const b = daxcheck('replay', broken);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/step 0, field pflag\[f2\]: expected true\|false, got 7/);
    expect(daxcheck('replay', trace, '--design', 'nope').stderr).toContain("model bench has no design 'nope'; its designs are: instantiate-only, flip-on-ioctl");
    expect(daxcheck('replay', trace, '--design', 'nope').code).toBe(2);
    expect(daxcheck('replay', trace, '--model', 'nope').code).toBe(2);
    const lang = daxcheck('repro', trace, '--lang', 'rust');
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang rust is not supported; accepted: c');
    expect(daxcheck('show', broken).code).toBe(2);
  });

  it('show prints each step in kernel words with only the changed variables, no colour when piped', () => {
    const r = daxcheck('show', trace);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4. SetFlag(p1, f1, true)   p1: ioctl(fd of f1, FS_IOC_FSSETXATTR, set FS_XFLAG_DAX)');
    expect(r.stdout).toContain('       sdax[f1]: false -> true\n  5.');
    expect(r.stdout).toContain('NoMixedMappings fails here: no file has page-cache pages and DAX entries populated at once');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('colour on request (FORCE_COLOR) and none with NO_COLOR', () => {
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [bin, 'show', trace], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } }).stdout;
    expect(run({ FORCE_COLOR: '1' })).toContain('\u001b[');
    expect(run({ FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain('\u001b[');
  });

  it('repro --lang c writes a C program, to a file with -o', () => {
    const out = join(dir, 'repro.c');
    const r = daxcheck('repro', trace, '--lang', 'c', '-o', out);
    expect(r.code).toBe(0);
    const c = readFileSync(out, 'utf8');
    expect(c).toContain('run(P(0), OP_SETFLAG, F(0), 1);');
    expect(daxcheck('repro', trace, '--lang', 'c').stdout).toBe(c);
  });
});
