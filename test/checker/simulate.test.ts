import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { simulate } from '../../checker/simulate.js';
import { benchModel } from '../../spec/bench/index.js';
import { daxcheck } from '../../testkit/cli.js';

describe('random simulation', () => {
  it('finds the flip-on-ioctl violation at a size too big to matter and shrinks it to a short walk', () => {
    const r = simulate(compile(benchModel, 'flip-on-ioctl', { files: 4, procs: 4 }), { runs: 2000, seed: 7 });
    expect(r.violation?.property).toBe('NoMixedMappings');
    const labels = r.violation!.trace.steps.map((s) => s.action);
    expect(labels.length - 1).toBeLessThanOrEqual(6);
    expect(labels).toContain('SetFlag');
    expect(labels.at(-1)).toBe('Fault');
  });

  it('finds nothing in the design that holds, and is repeatable by seed', () => {
    const cm = compile(benchModel, 'instantiate-only', { files: 2, procs: 2 });
    expect(simulate(cm, { runs: 200, seed: 3 }).violation).toBeUndefined();
    const a = simulate(compile(benchModel, 'flip-on-ioctl', {}), { runs: 500, seed: 11 });
    const b = simulate(compile(benchModel, 'flip-on-ioctl', {}), { runs: 500, seed: 11 });
    expect(a.violation!.trace.steps.map((s) => s.label)).toEqual(b.violation!.trace.steps.map((s) => s.label));
  });

  it('exits 1 on a violation from the command line', () => {
    const r = daxcheck('simulate', 'bench', '--design', 'flip-on-ioctl', '--seed', '5');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NoMixedMappings is violated');
    expect(daxcheck('simulate', 'bench', '--runs', 'many').code).toBe(2);
  });
});
