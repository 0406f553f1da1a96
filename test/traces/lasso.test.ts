// A liveness counterexample end to end: check writes a lasso (ITF `loop`),
// replay checks that the loop closes, that the property fails on it and that
// the fairness holds on its cycle; show marks the cycle; play takes its steps.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/traces.js';

const auto = ['dax', '--design', 'virtiofs-v6', '--const', 'cache=auto', '--property', 'ModeConverges'];

describe('a lasso from check to replay, show and play', () => {
  const dir = tempDir('lasso');
  const file = join(dir, 'dax.virtiofs-v6.ModeConverges.itf.json');

  it('check --json: virtiofs-v6 under cache=always violates ModeConverges with a lasso; instantiate-only holds', () => {
    const bad = daxcheck('check', 'dax', '--design', 'virtiofs-v6', '--const', 'cache=always', '--property', 'ModeConverges', '--json');
    expect(bad.code).toBe(1);
    const p = JSON.parse(bad.stdout).properties[0];
    expect([p.kind, p.status]).toEqual(['liveness', 'violated']);
    expect(p.trace.map((s: { action: string }) => s.action)).toEqual(['Init', 'Open', 'SetFlag', 'Close']);
    // The cycle is stuttering in the last state: nothing asks the server again.
    expect(p.loop).toBe(3);
    const good = daxcheck('check', 'dax', '--design', 'instantiate-only', '--property', 'ModeConverges', '--json');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).properties[0].status).toBe('holds');
  });

  it('the lasso is written with its loop and replays: the loop closes and is fair', () => {
    expect(daxcheck('check', ...auto, '--trace-out', dir).code).toBe(1);
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    expect(itf.loop).toBe(4);
    expect(itf['#meta'].propertyKind).toBe('liveness');
    const r = daxcheck('replay', file, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.verdict).toBe('reproduces');
    expect(rep.loopClosedBy).toBe('');
    expect(rep.unfair).toEqual([]);
    expect(daxcheck('replay', file).stdout).toMatch(/the loop is fair/);
  });

  it('replay refuses a lasso whose cycle breaks the fairness: stuttering before the timeout is not WF(Timeout)', () => {
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    itf.states = itf.states.slice(0, 4);
    itf.loop = 3;
    itf['#meta'].violatingStep = 3;
    const cut = join(dir, 'unfair.itf.json');
    writeFileSync(cut, JSON.stringify(itf));
    const r = daxcheck('replay', cut, '--json');
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.unfair).toEqual(['WF(Timeout(f1))']);
    expect(rep.verdict).toBe('no-violation');
    expect(daxcheck('replay', cut).stdout).toMatch(/the loop is not fair: it breaks WF\(Timeout\(f1\)\)/);
  });

  it('show marks where the cycle is', () => {
    const r = daxcheck('show', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4\. Timeout.*<- loop: stays in this state forever/);
  });

  it('play takes the lasso\'s steps, and --loop checks that the cycle closes', () => {
    const steps = ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1', 'Close p=p1 f=f1'];
    const init = ['--init', 'xflagDax=[false] size=[big]'];
    const ok = daxcheck('play', 'dax', '--design', 'virtiofs-v6', ...init, ...steps, '--loop', '3', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).loop).toEqual({ at: 3, closes: true });
    const out = join(dir, 'played.itf.json');
    expect(daxcheck('play', 'dax', '--design', 'virtiofs-v6', ...init, ...steps, '--loop', '3', '--trace-out', out).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).loop).toBe(3);
    const open = daxcheck('play', 'dax', '--design', 'virtiofs-v6', ...init, ...steps.slice(0, 4), '--loop', '3');
    expect(open.code).toBe(1);
    expect(open.stdout).toMatch(/THE LOOP DOES NOT CLOSE/);
    expect(daxcheck('play', 'dax', ...steps.slice(0, 1), '--loop', '7').code).toBe(2);
  });
});

describe('liveness and the engines', () => {
  it('--workers 2 checks liveness too: the lasso of one thread, and a pass where one thread passes', () => {
    const lasso = (workers: string) => {
      const r = daxcheck('check', ...auto, '--workers', workers, '--json');
      expect(r.code, workers).toBe(1);
      const p = JSON.parse(r.stdout).properties[0];
      return { status: p.status, loop: p.loop, trace: p.trace };
    };
    const one = lasso('1');
    expect(one.loop).toBe(4);
    expect(lasso('2')).toEqual(one);
    const all = daxcheck('check', 'dax', '--design', 'instantiate-only', '--workers', '2', '--json');
    expect(all.code).toBe(0);
    const r = JSON.parse(all.stdout);
    expect(r.livenessSkipped).toBeUndefined();
    expect(r.properties.find((p: { name: string }) => p.name === 'ModeConverges').status).toBe('holds');
  });

  it('--dfs checks liveness too: a longer lasso (depth-first parent links) that replays, loop and fairness included', () => {
    const dir = tempDir('lasso-dfs');
    const r = daxcheck('check', ...auto, '--dfs', '--trace-out', dir);
    expect(r.code).toBe(1);
    const file = join(dir, 'dax.virtiofs-v6.ModeConverges.itf.json');
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    expect(itf.states.length - 1).toBeGreaterThan(4);
    const rep = JSON.parse(daxcheck('replay', file, '--json').stdout);
    expect([rep.verdict, rep.loopClosedBy, rep.unfair]).toEqual(['reproduces', '', []]);
    const good = daxcheck('check', 'dax', '--design', 'instantiate-only', '--property', 'ModeConverges', '--dfs', '--json');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).properties[0].status).toBe('holds');
  });

  it('--avoid-action with a named liveness property is refused in one line (exit 2); unnamed, it is left out and said so', () => {
    const named = daxcheck('check', 'dax', '--design', 'virtiofs-v6', '--property', 'ModeConverges', '--avoid-action', 'Fork');
    expect(named.code).toBe(2);
    expect(named.stderr.trim()).toBe('daxcheck: error: liveness properties (ModeConverges) are checked over the whole state graph; drop --avoid-action');
    const all = daxcheck('check', 'dax', '--design', 'instantiate-only', '--avoid-action', 'Fork', '--json');
    const r = JSON.parse(all.stdout);
    expect(r.livenessSkipped).toBe('liveness properties (ModeConverges) not checked: they need the whole state graph (no --avoid-action)');
    expect(r.properties.some((p: { name: string }) => p.name === 'ModeConverges')).toBe(false);
  });
});
