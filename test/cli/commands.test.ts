import { describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';

describe('daxcheck command line', () => {
  it('exits 0 and says so when every property holds', () => {
    const r = daxcheck('check', 'bench', '--const', 'files=1', '--const', 'procs=2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No error has been found');
    expect(r.stdout).toContain('102 distinct states');
    expect(r.stdout).toMatch(/NoMixedMappings\s+invariant\s+holds/);
    expect(r.stdout).toContain('fingerprint collision probability');
    expect(r.stdout).toMatch(/Coverage/);
  });

  it('exits 1 on a violation and prints the trace in steps with the changed variables', () => {
    const r = daxcheck('check', 'bench', '--design', 'flip-on-ioctl');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NoMixedMappings is violated');
    expect(r.stdout).toContain('4. SetFlag(p1, f1, true)');
    expect(r.stdout).toContain('sdax[f1]: false -> true');
  });

  it('--json carries the fields machines need', () => {
    const r = daxcheck('check', 'bench', '--design', 'flip-on-ioctl', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: 'bench', design: 'flip-on-ioctl', constants: { files: 2, procs: 2 }, complete: false });
    for (const k of ['distinctStates', 'statesGenerated', 'depth', 'seconds']) expect(typeof j[k]).toBe('number');
    const p = j.properties[0];
    expect(p).toMatchObject({ name: 'NoMixedMappings', kind: 'invariant', holds: false });
    expect(p.trace).toHaveLength(6);
    expect(p.trace[4]).toMatchObject({ action: 'SetFlag', params: { p: 'p1', f: 'f1', v: true } });
    expect(p.trace[5].state.daxmap[0]).toBe(true);
  });

  it('a bounded run is never reported as a pass', () => {
    const r = daxcheck('check', 'bench', '--depth', '3', '--json');
    const j = JSON.parse(r.stdout);
    expect(j.complete).toBe(false);
    expect(j.properties[0].holds).toBeNull();
    const t = daxcheck('check', 'bench', '--depth', '3');
    expect(t.stdout).toMatch(/Search incomplete \(depth bound 3/);
  });

  it.each([
    [['check', 'nosuch'], /unknown model 'nosuch'; the models are: .*bench/],
    [['check', 'bench', '--design', 'nosuch'], /no design 'nosuch'; its designs are: instantiate-only, flip-on-ioctl/],
    [['check', 'bench', '--const', 'files=9'], /files takes an integer in 1\.\.4/],
    [['check', 'bench', '--const', 'nosuch=1'], /no constant 'nosuch'; its constants are: files, procs/],
    [['check', 'bench', '--const', 'files'], /--const takes NAME=VALUE/],
    [['check', 'bench', '--property', 'Nope'], /no property 'Nope'; its properties are: NoMixedMappings/],
    [['check', 'bench', '--depth', '-1'], /--depth takes a positive whole number \(1, 2, 3, \.\.\.\), got '-1'/],
    [['check', 'bench', '--frobnicate'], /unknown option '--frobnicate'/],
    [['designs', 'nosuch'], /unknown model 'nosuch'/],
    [['nosuchcommand'], /unknown command 'nosuchcommand'/],
  ])('bad input %j exits 2 and says what is accepted', (args, message) => {
    const r = daxcheck(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('lists models and designs', () => {
    expect(daxcheck('models').stdout).toMatch(/^bench\t/m);
    const d = daxcheck('designs', 'bench');
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^instantiate-only \(default\)/m);
    expect(d.stdout).toMatch(/^flip-on-ioctl/m);
  });

  it('prints the verdict table for a model', () => {
    const r = daxcheck('matrix', 'bench', '--const', 'files=1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/instantiate-\s+flip-on-ioctl/);
    expect(r.stdout).toMatch(/NoMixedMappings\s+holds\s+VIOLATED \(5\)/);
  });
});
