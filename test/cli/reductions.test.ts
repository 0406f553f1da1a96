// --symmetry and --por on the command line: off unless asked, said when on
// (summary, --json, the verdict table's title and both counts), refused with
// exit 2 and one line where they do not combine.

import { describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';

describe('reductions on the command line', () => {
  it('check --symmetry prints the orbits and the states they stand for, and --json has them', () => {
    const text = daxcheck('check', 'bench', '--symmetry', '--no-coverage');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2,877 distinct states');
    expect(text.stdout).toContain('symmetry reduction on: f, p renamed, one state per orbit; they stand for 10,404 states without it');
    const json = JSON.parse(daxcheck('check', 'bench', '--symmetry', '--json').stdout);
    expect(json.distinctStates).toBe(2877);
    expect(json.symmetry).toEqual({ sets: ['f', 'p'], representedStates: 10_404 });
    const plain = JSON.parse(daxcheck('check', 'bench', '--json').stdout);
    expect(plain.symmetry).toBeUndefined();
    expect(plain.partialOrder).toBeUndefined();
    expect(plain.distinctStates).toBe(10_404);
  });

  it('check --por says so; a model without components gets a note', () => {
    const r = daxcheck('check', 'bench', '--por', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).partialOrder).toEqual({ components: 'f', reducedStates: 3277 });
    const dax = daxcheck('check', 'dax', '--por', '--no-coverage');
    expect(dax.stderr).toContain('note: --por: model dax declares no components, so nothing is reduced');
  });

  it('matrix --symmetry gives both counts per design', () => {
    const r = daxcheck('matrix', 'bench', '--symmetry');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Verdict table: model bench (files=2 procs=2), symmetry reduction over f, p');
    expect(r.stdout).toMatch(/distinct orbits\s+2,877\s+4,579/);
    expect(r.stdout).toMatch(/states \(unreduced\)\s+10,404\s+16,900/);
    const json = JSON.parse(daxcheck('matrix', 'bench', '--symmetry', '--json').stdout);
    expect(json[0].runs.map((x: { symmetry: { representedStates: number } }) => x.symmetry.representedStates)).toEqual([10_404, 16_900]);
  });

  it('matrix --symmetry --por: both in the title, the same verdicts, no count without the reductions', () => {
    const r = daxcheck('matrix', 'bench', '--symmetry', '--por');
    expect(r.code).toBe(0); // a verdict table exits 0 whatever its cells say
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('symmetry reduction over f, p, partial-order reduction over f');
    expect(r.stdout).toMatch(/NoMixedMappings\s+holds\s+VIOLATED/);
    expect(r.stdout).toMatch(/states \(unreduced\)\s+-\s+-/);
  });

  it('refuses --por with --workers or --dfs, and --symmetry with --checkpoint, in one line', () => {
    for (const [args, msg] of [
      [['--por', '--workers', '2'], '--por takes a breadth-first search on one thread and does not combine with --workers above 1 yet'],
      [['--por', '--dfs'], '--por takes a breadth-first search on one thread and does not combine with --dfs yet'],
      [['--symmetry', '--checkpoint', '/tmp/daxcheck-sym-ckpt'], '--symmetry does not combine with --checkpoint or --resume'],
    ] as const) {
      const r = daxcheck('check', 'bench', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(msg);
    }
  });

  it('refuses a named liveness property under --symmetry or --por, and leaves the unnamed ones out saying so', () => {
    for (const flag of ['--symmetry', '--por']) {
      const named = daxcheck('check', 'dax', '--design', 'virtiofs-v6', '--const', 'cache=always', '--property', 'ModeConverges', flag);
      expect(named.code, flag).toBe(2);
      // (--por on dax first notes that dax declares no components)
      expect(named.stderr.trim().split('\n').at(-1)).toBe(`daxcheck: error: liveness properties (ModeConverges) are checked over the whole state graph; drop ${flag}`);
    }
    const unnamed = daxcheck('check', 'dax', '--design', 'virtiofs-v6', '--const', 'cache=always', '--symmetry', '--json');
    const json = JSON.parse(unnamed.stdout);
    expect(json.livenessSkipped).toBe('liveness properties (ModeConverges) not checked: they need the whole state graph (no --symmetry)');
    expect(json.properties.map((p: { name: string }) => p.name)).not.toContain('ModeConverges');
  });
});
