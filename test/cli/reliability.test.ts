// What a script can rely on (issue 10): exit codes that tell a proof from a
// run cut short, interruption with statistics, the memory budget, output
// paths refused before the search, and bad input as exit 2 with one line.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';
import { examplesDir, tempDir } from '../../testkit/traces.js';

const bin = fileURLToPath(new URL('../../bin/daxcheck.js', import.meta.url));
/** A run of a minute or more on two cores: long enough to be interrupted. */
const LONG = ['check', 'bench', '--const', 'files=4', '--const', 'procs=3', '--progress', '0.2', '--no-coverage'];
const example = join(examplesDir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json');

/** Starts the CLI, sends `signal` once it prints its first progress line, and collects the outcome. */
function interrupted(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '', stderr = '', sent = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && stderr.includes('Progress:')) { sent = true; child.kill(signal); }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('exit codes a script can trust', () => {
  it('4 for a run cut short with no violation (depth, time), in --json too; 0 only for a complete pass', () => {
    const depth = daxcheck('check', 'bench', '--depth', '3', '--json');
    expect(depth.code).toBe(4);
    expect(JSON.parse(depth.stdout)).toMatchObject({ complete: false, cutShortBy: 'depth', outcome: 'cut-short', exitCode: 4 });
    const time = daxcheck('check', 'bench', '--const', 'files=4', '--const', 'procs=3', '--max-seconds', '0.3');
    expect(time.code).toBe(4);
    expect(time.stdout).toContain('incomplete: time');
    const pass = daxcheck('check', 'bench', '--const', 'files=1', '--json');
    expect(pass.code).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ complete: true, outcome: 'holds', exitCode: 0 });
  });

  it('1 for a violation even when the run stopped at it', () => {
    const r = daxcheck('check', 'bench', '--design', 'flip-on-ioctl', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: false, cutShortBy: 'violation', outcome: 'violated', exitCode: 1 });
  });

  it('matrix: 4 when a time limit cut a design short; 0 for the tables as the models define them', () => {
    expect(daxcheck('matrix', 'bench', '--const', 'files=1').code).toBe(0);
    // passthrough's vma-close-refcount is bounded by the model's own state constraint
    expect(daxcheck('matrix', 'passthrough').code).toBe(0);
    expect(daxcheck('matrix', 'bench', '--max-seconds', '0.0001').code).toBe(4);
  });

  it('--help lists every exit code', () => {
    const r = daxcheck('--help');
    expect(r.code).toBe(0);
    for (const c of ['0  check', '1  a violation', '2  bad input', '3  an internal error', '4  cut short']) expect(r.stdout).toContain(c);
  });
});

describe('interruption', () => {
  it('SIGINT stops the search, prints --json with the statistics so far, exit 4', async () => {
    const r = await interrupted([...LONG, '--json'], 'SIGINT');
    expect(r.code).toBe(4);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ complete: false, cutShortBy: 'interrupted', incompleteReason: 'interrupted by SIGINT', exitCode: 4 });
    expect(j.distinctStates).toBeGreaterThan(1000);
    expect(j.properties[0].holds).toBeNull();
    expect(r.stderr).toContain('SIGINT: stopping the search');
  });

  it('SIGTERM stops a run on worker threads too and prints "incomplete: interrupted"', async () => {
    const r = await interrupted([...LONG, '--workers', '2'], 'SIGTERM');
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('Search incomplete (interrupted by SIGTERM)');
    expect(r.stdout).toContain('incomplete: interrupted');
    expect(r.stdout).toMatch(/[\d,]+ distinct states, [\d,]+ states generated/);
  });
});

describe('checkpoint and resume from the command line', () => {
  it('SIGINT after a checkpoint, then --resume: the same result as an uninterrupted run', async () => {
    const dir = tempDir('cli-checkpoint');
    const args = ['check', 'bench', '--const', 'files=3', '--const', 'procs=2', '--json', '--no-coverage'];
    const cut = await interrupted([...args, '--progress', '0.2', '--checkpoint', dir, '--checkpoint-every', '0'], 'SIGINT');
    expect(cut.code).toBe(4);
    expect(cut.stderr).toMatch(/Checkpoint written: .* --resume continues at depth \d+/);
    const resumed = daxcheck(...args, '--resume', dir);
    const whole = daxcheck(...args);
    expect(resumed.code).toBe(0);
    const pick = (out: string) => { const j = JSON.parse(out); return [j.distinctStates, j.statesGenerated, j.depth, j.properties, j.complete]; };
    expect(pick(resumed.stdout)).toEqual(pick(whole.stdout));
    expect(JSON.parse(cut.stdout).distinctStates).toBeLessThan(JSON.parse(whole.stdout).distinctStates);
  });

  it('bad checkpoint input is exit 2 with one line', () => {
    for (const [args, message] of [
      [['check', 'bench', '--resume', tempDir('none')], /--resume .*: no readable checkpoint there/],
      [['check', 'bench', '--checkpoint', tempDir('w'), '--workers', '2'], /--checkpoint and --resume take a breadth-first search on one thread/],
      [['check', 'bench', '--checkpoint-every', '5'], /--checkpoint-every needs --checkpoint DIR/],
      [['check', 'bench', '--checkpoint', '/proc/x'], /--checkpoint \/proc\/x: \/proc is on proc/],
    ] as const) {
      const r = daxcheck(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('memory budget', () => {
  it('--max-memory stops the run with "incomplete: memory" and its statistics, exit 4', () => {
    const r = daxcheck('check', 'bench', '--const', 'files=4', '--const', 'procs=3', '--max-memory', '8', '--json');
    expect(r.code).toBe(4);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ complete: false, cutShortBy: 'memory', exitCode: 4 });
    expect(j.distinctStates).toBeGreaterThan(1000);
    expect(j.storeBytes).toBeLessThanOrEqual(8 * 2 ** 20);
  });
});

describe('memory refused by the system', () => {
  it('under ulimit -v the run ends as incomplete: memory with its statistics, not a crash', () => {
    const cmd = `ulimit -v 1100000; exec "${process.execPath}" "${bin}" check bench --const files=4 --const procs=3 --max-memory 100000 --no-coverage --progress 100`;
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toContain('address space is limited');
    expect(r.stderr).not.toMatch(/Fatal|allocation failed\n\s+at /);
    expect(r.status).toBe(4);
    expect(r.stdout).toContain('incomplete: memory');
    // the budget is what the limit leaves, so the search stops at it before the system refuses (V8 may abort then)
    expect(r.stderr).toMatch(/with a memory budget of \d+ MiB \(what the limit leaves\)/);
    expect(r.stdout).toMatch(/[\d,]+ distinct states, [\d,]+ states generated/);
  });
});

describe('output paths are checked before the search', () => {
  const dir = tempDir('paths');
  const file = join(dir, 'plain');
  writeFileSync(file, 'x');
  mkdirSync(join(dir, 'sub'));
  it.each([
    [['check', 'bench', '--design', 'flip-on-ioctl', '--trace-out', '/proc/daxcheck'], /--trace-out \/proc\/daxcheck: \/proc is on proc, a kernel file system/],
    [['check', 'bench', '--design', 'flip-on-ioctl', '--trace-out', join(file, 'x')], /is a file, not a directory/],
    [['check', 'bench', '--trace-out', file], /not a directory/],
    [['simulate', 'bench', '--trace-out', '/sys/daxcheck'], /\/sys is on sysfs/],
    [['show', example, '--html', join(dir, 'missing', 'p.html')], /--html .*: the directory .*missing does not exist/],
    [['show', example, '--html', join(dir, 'sub')], /--html .*sub: is a directory; give a file name/],
    [['repro', example, '--lang', 'c', '-o', join(dir, 'missing', 'r.c')], /--output .*: the directory .*missing does not exist/],
    [['repro', example, '--lang', 'c', '-o', join(dir, 'sub')], /--output .*sub: is a directory/],
  ])('%j: exit 2 at once, naming the path', (args, message) => {
    // the long model would take a minute: an answer in well under that means no search ran
    const r = daxcheck(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('--trace-out is refused before a long search starts', () => {
    const t = performance.now();
    const r = daxcheck(...LONG, '--trace-out', join(file, 'x'));
    expect(r.code).toBe(2);
    expect(performance.now() - t).toBeLessThan(15_000);
    expect(r.stdout).toBe('');
  });
});

describe('bad input: exit 2 and one line saying what is accepted', () => {
  const dir = tempDir('bad');
  const original = JSON.parse(readFileSync(example, 'utf8'));
  const variant = (name: string, change: (t: any) => void, raw?: (s: string) => string) => {
    const t = structuredClone(original);
    change(t);
    const path = join(dir, name);
    writeFileSync(path, raw ? raw(JSON.stringify(t)) : JSON.stringify(t));
    return path;
  };
  const numberAction = variant('num.itf.json', (t) => { t.states[1]['mbt::actionTaken'] = 5; });
  const unknownAction = variant('unknown.itf.json', (t) => { t.states[1]['mbt::actionTaken'] = 'NoSuchAction'; });
  const bom = variant('bom.itf.json', () => undefined, (s) => `\uFEFF${s}`);

  it.each([
    [['check', 'bench', '--workers', '1e9'], /--workers takes a positive whole number/],
    [['check', 'bench', '--workers', '1000000'], /--workers takes a whole number in 1\.\.64, got 1000000/],
    [['check', 'bench', '--const', 'files=1', '--const', 'files=2'], /--const files is given twice \(1 and 2\); give each constant once/],
    [['check', 'bench', '--property', ''], /--property takes names, one or more separated by commas, got ''/],
    [['simulate', 'bench', '--property', 'NoMixedMappings,'], /--property takes names/],
    [['show', numberAction], /step 1, field mbt::actionTaken: expected the action's name as a string, got 5/],
    [['replay', numberAction], /expected the action's name as a string/],
    [['show', unknownAction], /step 1 takes action 'NoSuchAction', which model bench \(design flip-on-ioctl\) does not have; its actions are: Open/],
    [['repro', unknownAction, '--lang', 'c'], /takes action 'NoSuchAction'/],
    [['show', example, '--model', ''], /--model takes a model name \(one of .*bench\), got ''/],
  ])('%j', (args, message) => {
    const r = daxcheck(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a byte-order mark before the JSON is read as the trace it is', () => {
    const r = daxcheck('show', bom);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NoMixedMappings');
  });

  it('--workers above the core count warns and runs', () => {
    const r = daxcheck('check', 'bench', '--const', 'files=1', '--workers', '9');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --workers 9 is more than the \d+ cores here/);
  });
});
