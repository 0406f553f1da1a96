// The parallel breadth-first search on the benchmark model: the same state
// counts, verdicts, traces and coverage as the sequential engine, and the
// same failure modes (memory, time, depth bounds, model errors).

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { benchModel } from '../../spec/bench/index.js';
import { both, builtInSource, comparable, comparableAtStop, replay } from '../../testkit/parallel.js';

const benchSource = builtInSource('bench');

const bench = (files: number, procs: number, design = 'instantiate-only') => compile(benchModel, design, { files, procs });

describe('parallel BFS on the benchmark model', () => {
  it('finds exactly the sequential result at (1,1), (2,2), (2,3), (3,1)', () => {
    const want: [number, number, number][] = [[1, 1, 30], [2, 2, 10_404], [2, 3, 101_124], [3, 1, 27_000]];
    for (const [files, procs, n] of want) {
      const { seq, par } = both(bench(files, procs));
      expect(par.distinctStates, `(${files},${procs})`).toBe(n);
      expect(par.statesGenerated).toBe(seq.statesGenerated);
      expect(comparable(par)).toEqual(comparable(seq));
    }
  });

  it('with 3 workers too', () => {
    const cm = bench(2, 3);
    expect(comparable(check(cm, { workers: 3, modelSource: benchSource }))).toEqual(comparable(check(cm)));
  });

  it('with every level on the workers, none on the coordinator', () => {
    process.env.DAXCHECK_PARALLEL_LOCAL_STATES = '0';
    try {
      for (const [files, procs] of [[2, 2], [2, 3]] as const) {
        const cm = bench(files, procs);
        expect(comparable(check(cm, { workers: 2, modelSource: benchSource }))).toEqual(comparable(check(cm)));
      }
    } finally {
      delete process.env.DAXCHECK_PARALLEL_LOCAL_STATES;
    }
  });

  it('flip-on-ioctl: the same shortest 5-step counterexample, which replays', () => {
    for (const [files, procs] of [[2, 2], [3, 2]] as const) {
      const cm = bench(files, procs, 'flip-on-ioctl');
      const { seq, par } = both(cm);
      const p = par.properties.find((x) => x.name === 'NoMixedMappings')!;
      expect(p.status).toBe('violated');
      expect(p.trace!.steps).toHaveLength(6);
      expect(p.trace!.steps.map((s) => s.label)).toEqual([
        'Init', 'Open(p1, f1)', 'Mmap(p1, f1)', 'Fault(p1, f1)', 'SetFlag(p1, f1, true)', 'Fault(p1, f1)',
      ]);
      expect(replay(cm, p.trace!)).toEqual(p.trace!.steps.map((s) => s.state));
      expect(comparableAtStop(par)).toEqual(comparableAtStop(seq));
      expect(par.complete).toBe(false);
      expect(par.incompleteReason).toBe('stopped at the first violation');
    }
  });

  it('flip-on-ioctl with --continue: identical, counts included', () => {
    const { seq, par } = both(bench(2, 2, 'flip-on-ioctl'), { continueAfterViolation: true });
    expect(comparable(par)).toEqual(comparable(seq));
  });

  it('a depth bound cuts the search as in the sequential engine', () => {
    const { seq, par } = both(bench(2, 3), { maxDepth: 7 });
    expect(par.complete).toBe(false);
    expect(par.incompleteReason).toBe('depth bound 7 cut the search');
    expect(comparable(par)).toEqual(comparable(seq));
  });

  it('a tiny --max-memory gives an incomplete result saying the store is full', () => {
    const r = check(bench(3, 2), { workers: 2, modelSource: benchSource, maxStoreBytes: 64 * 1024 });
    expect(r.complete).toBe(false);
    expect(r.incompleteReason).toMatch(/^fingerprint store full: .* over the limit of \d+ MiB \(--max-memory\)$/);
    expect(r.properties[0]!.status).toBe('bounded');
    expect(r.properties[0]!.holds).toBeNull();
  });

  it('a store that fills in the middle of a level stops there, never dropping states silently', () => {
    const r = check(bench(3, 2), { workers: 2, modelSource: benchSource, maxStoreBytes: 6 * 2 ** 20 });
    expect(r.complete).toBe(false);
    // the budget counts the frontier too (issue 10), so the run may stop on the sum before the table's own growth fails
    expect(r.cutShortBy).toBe('memory');
    expect(r.incompleteReason).toMatch(/^(fingerprint store full|memory: [\d,]+ states, their store and queue use \d+ MiB, the budget is 6 MiB)/);
    expect(r.distinctStates).toBeGreaterThan(100_000);
    expect(r.distinctStates).toBeLessThan(1_061_208);
    expect(r.queueLeft).toBeGreaterThan(0);
    expect(r.properties[0]!.status).toBe('bounded');
  });

  it('--max-seconds stops the search with the time limit as the reason', () => {
    const r = check(bench(3, 3), { workers: 2, modelSource: benchSource, maxSeconds: 0.5 });
    expect(r.complete).toBe(false);
    expect(r.incompleteReason).toBe('time limit of 0.5 s reached');
    expect(r.queueLeft).toBeGreaterThan(0);
    // Unlimited, (3,3) takes about two minutes of both cores: far above this even on a loaded machine.
    expect(r.seconds).toBeLessThan(30);
  });

  it('(3,2): the benchmark count, through several table growths in place, with progress lines', () => {
    const seen: number[] = [];
    const r = check(bench(3, 2), { workers: 2, modelSource: benchSource, progressEverySeconds: 0.2, onProgress: (p) => seen.push(p.distinctStates) });
    expect(r.distinctStates).toBe(1_061_208);
    expect(r.statesGenerated).toBe(14_357_521);
    expect(r.complete).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n > 0 && n <= 1_061_208)).toBe(true);
  });

  it('depth-first search explores the same states as breadth-first, and its counterexample replays', () => {
    const cm = bench(2, 2);
    const dfs = check(cm, { strategy: 'dfs' });
    expect(dfs.strategy).toBe('dfs');
    expect(dfs.distinctStates).toBe(check(cm).distinctStates);
    expect(dfs.statesGenerated).toBe(93_841);
    const flip = bench(2, 2, 'flip-on-ioctl');
    const bad = check(flip, { strategy: 'dfs' }).properties.find((p) => p.name === 'NoMixedMappings')!;
    const shortest = check(flip).properties.find((p) => p.name === 'NoMixedMappings')!;
    expect(bad.status).toBe('violated');
    expect(replay(flip, bad.trace!)).toEqual(bad.trace!.steps.map((s) => s.state));
    expect(bad.trace!.steps.length).toBeGreaterThanOrEqual(shortest.trace!.steps.length);
  });
});
