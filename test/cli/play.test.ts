// `daxcheck play`: a scenario step by step through the core.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxcheckIn, userDir } from '../../testkit/outside.js';

const dir = userDir();
const run = (...args: string[]) => daxcheckIn(dir, ...args);
const scenario = ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Statx f=f1'];

describe('daxcheck play', () => {
  it('prints each step in kernel words with the variables it changed, and checks an expectation', () => {
    const r = run('play', 'dax', ...scenario, '--expect', 'sDax[f1]=true', '--expect', '2:fd[p1][f1]=O_RDWR');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3. Close p1 f1 → Evict f1   p1: close(fd of f1); the last reference: f1\'s inode is evicted');
    expect(r.stdout).toContain('       inode[f1]: "cached" -> "evicted"');
    expect(r.stdout).toContain('4. Lookup(FS_XFLAG_DAX=1) → iget; Statx f1 → STATX_ATTR_DAX=1');
    expect(r.stdout).toContain('       expected sDax[f1] = true: yes');
    expect(r.stdout).toContain('       expected fd[p1][f1] = O_RDWR: yes');
    expect(r.stdout).toContain('Every step was taken and every expectation holds.');
  });

  it('a failed expectation is exit 1, naming it', () => {
    const r = run('play', 'dax', ...scenario, '--expect', 'sDax[f1]=false');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('EXPECTATION FAILED: sDax[f1] = true, expected false');
  });

  it('a refused step: its guard in the kernel\'s words, what the guard read, exit 1', () => {
    const r = run('play', 'dax', '--design', 'ebusy-while-mapped', 'Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Statx f=f1');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3. SetFlag(FS_XFLAG_DAX=1) p1 f1: REFUSED by design ebusy-while-mapped (its guard does not hold)');
    expect(r.stdout).toContain('the guard: the process has the file open, v changes the flag, and no other flag change of the file holds its locks; -EBUSY while any process has the file mapped');
    expect(r.stdout).toContain('it read: xflagDax[f1] = false, fd[p1][f1] = "O_RDWR", vma[p1][f1] = "pagecache"');
    expect(r.stdout).not.toContain('4. ');
    const j = JSON.parse(run('play', 'dax', '--design', 'ebusy-while-mapped', 'Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', '--json').stdout);
    expect(j).toMatchObject({ design: 'ebusy-while-mapped', ok: false, refusal: { step: 3, reason: 'guard', action: 'SetFlag' } });
  });

  it('names the forms the design would take instead', () => {
    // Clearing a flag that is clear changes nothing, so it is not a step; setting it is.
    const r = run('play', 'dax', 'Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=false');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the design would take instead: SetFlag(FS_XFLAG_DAX=1) p1 f1');
    expect(JSON.parse(run('play', 'dax', 'Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=false', '--json').stdout).refusal)
      .toMatchObject({ step: 2, reason: 'guard', alternatives: ['SetFlag(FS_XFLAG_DAX=1) p1 f1'] });
  });

  it('an ambiguous step lists its enabled forms (exit 2)', () => {
    const r = run('play', 'dax', '--const', 'files=2', 'Open p=p1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("daxcheck: error: step 1 'Open p=p1' is ambiguous: 2 forms are enabled here: 'Open p=p1 f=f1' "
      + "(Lookup(FS_XFLAG_DAX=0) → iget; Open(O_RDWR) p1 f1), 'Open p=p1 f=f2' (Lookup(FS_XFLAG_DAX=0) → iget; Open(O_RDWR) p1 f2)\n");
  });

  it('bad steps and expectations are exit 2 with what is accepted', () => {
    expect(run('play', 'dax', 'Opn p=p1').stderr).toBe("daxcheck: error: step 'Opn p=p1': design instantiate-only has no action 'Opn'; its actions are: "
      + 'Open, Mmap, SetFlag, PageFault, Load, Store, Read, Write, Writeback, Munmap, Close, Fork, Exit, Statx, DropCaches\n');
    expect(run('play', 'dax', 'Open p=p9').stderr).toBe("daxcheck: error: step 'Open p=p9': p=p9 is not in p1..p2\n");
    expect(run('play', 'dax', 'Open q=p1').stderr).toBe("daxcheck: error: step 'Open q=p1': Open has no parameter 'q'; its parameters are: p, f\n");
    expect(run('play', 'dax', 'Open p1').stderr).toBe("daxcheck: error: step 'Open p1': 'p1' is not NAME=VALUE (e.g. p=p1, v=true)\n");
    expect(run('play', 'dax', 'Open p=p1', '--expect', 'foo=1').stderr).toBe(
      "daxcheck: error: --expect foo=1: no variable 'foo'; variables are written as in a trace, e.g. xflagDax[f1], size[f1], storage[f1]\n");
    expect(run('play', 'dax', 'Open p=p1', '--expect', '5:sDax[f1]=true').stderr).toBe('daxcheck: error: --expect 5:sDax[f1]=true: there are only 1 steps\n');
  });

  it('plays a design file\'s own action; --trace-out is a trace replay reads, refused under a design without the action', () => {
    const r = run('play', 'dax', '--design-file', 'flip-when-unmapped.ts', 'Open p=p1 f=f1', 'Fsync p=p1 f=f1', '--trace-out', 'scenario.itf.json', '--expect', 'fsynced[f1]=true');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2. Fsync p1 f1   p1: fsync(fd of f1)');
    expect(JSON.parse(readFileSync(join(dir, 'scenario.itf.json'), 'utf8'))['#meta']).toMatchObject({ model: 'dax', design: 'flip-when-unmapped' });
    const c = run('repro', 'scenario.itf.json', '--lang', 'c', '--design-file', 'flip-when-unmapped.ts');
    expect(c.stderr).toBe('');
    expect(c.stdout).toContain('writeback(0);');
    const own = run('replay', 'scenario.itf.json', '--design-file', 'flip-when-unmapped.ts', '--json');
    expect(JSON.parse(own.stdout)).toMatchObject({ design: 'flip-when-unmapped', verdict: 'no-violation' });
    const fix = JSON.parse(run('replay', 'scenario.itf.json', '--design-file', 'flip-when-unmapped.ts', '--design', 'instantiate-only', '--json').stdout);
    expect(fix).toMatchObject({ verdict: 'diverges', leftOut: { notInModel: ['fsynced'] }, refusal: { step: 2, reason: 'no-such-action', action: 'Fsync' } });
  });
});
