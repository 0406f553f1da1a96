// `daxcheck check --workers N` prints and exits as the sequential run does.

import { describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';

/** The output without the lines that carry timings and memory. */
const stable = (out: string) => out.split('\n').filter((l) => !/ s, |distinct states\/s|peak RSS|MiB/.test(l)).join('\n');

describe('daxcheck check --workers', () => {
  it('check bench --workers 2 passes with the sequential output', () => {
    const seq = daxcheck('check', 'bench', '--const', 'files=2', '--const', 'procs=3');
    const par = daxcheck('check', 'bench', '--const', 'files=2', '--const', 'procs=3', '--workers', '2');
    expect(par.code).toBe(0);
    expect(par.stdout).toContain('101,124 distinct states');
    expect(stable(par.stdout)).toBe(stable(seq.stdout));
  });

  it('exits 1 on a violation with the same trace', () => {
    const seq = daxcheck('check', 'bench', '--design', 'flip-on-ioctl', '--json');
    const par = daxcheck('check', 'bench', '--design', 'flip-on-ioctl', '--json', '--workers', '2');
    expect(par.code).toBe(1);
    const [s, p] = [JSON.parse(seq.stdout), JSON.parse(par.stdout)];
    expect(p.properties).toEqual(s.properties);
    expect(p.complete).toBe(false);
  });

  it('rejects a bad worker count with exit 2', () => {
    for (const bad of ['0', 'two', '1.5']) {
      const r = daxcheck('check', 'bench', '--workers', bad);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--workers takes/);
    }
  });

  it('--dfs with --workers runs sequentially and says so', () => {
    const r = daxcheck('check', 'bench', '--dfs', '--workers', '2');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('depth-first search is sequential');
  });
});
