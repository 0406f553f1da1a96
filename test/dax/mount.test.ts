// Mounting within a run (remount=on, spec/dax/mount.ts): hand-written
// scenarios replayed on the model, with the outcomes the kernel source gives
// (do_umount -EBUSY while in use; generic_shutdown_super evicts every inode;
// ext4_should_enable_dax / xfs_inode_should_enable_dax read the mode at the
// next iget; ext4_dax_dontcache marks only under dax=inode), and a tour
// judged against what Linux 6.12.117 did on ext4 and xfs (the fixture, from
// `conform dax --const remount=on --trace`).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { modelNamed } from '../../cli/registry.js';
import { judgeBoot, type Case } from '../../conform/run.js';
import { daxModel } from '../../spec/dax/index.js';
import { lastState as last, playDax, playable, type Move } from '../../testkit/dax-play.js';

const ON = { remount: 'on' };
const plainSmall = { xflagDax: [false], size: ['small'] };
const play = (moves: readonly Move[], constants: Record<string, string | number> = ON, init: Record<string, unknown> = plainSmall) => playDax(moves, constants, init);

describe('umount and mount with another dax= mode', () => {
  it('umount is refused (-EBUSY, no step) while a file is open or mapped, and allowed once nothing is', () => {
    expect(playable([['Open', { p: 'p1', f: 'f1' }], ['Umount']], ON, plainSmall)).toBe(false);
    expect(playable([['Open', { p: 'p1', f: 'f1' }], ['Mmap', { p: 'p1', f: 'f1' }], ['Close', { p: 'p1', f: 'f1' }], ['Umount']], ON, plainSmall)).toBe(false);
    const t = play([['Open', { p: 'p1', f: 'f1' }], ['Mmap', { p: 'p1', f: 'f1' }], ['Close', { p: 'p1', f: 'f1' }], ['Munmap', { p: 'p1', f: 'f1' }], ['Umount']]);
    expect(t.steps.at(-1)!.label).toBe('Umount → Evict f1');
    expect(last(t)).toMatchObject({ mounted: false, inode: ['reclaimed'] });
  });

  it('nothing of the filesystem can be reached while it is unmounted', () => {
    expect(playable([['Umount'], ['Open', { p: 'p1', f: 'f1' }]], ON, plainSmall)).toBe(false);
    expect(playable([['Umount'], ['Statx', { f: 'f1' }]], ON, plainSmall)).toBe(false);
  });

  it('the next iget takes the new mode: dax=always makes a file without the flag DAX, dax=never one with it not', () => {
    expect(last(play([['Umount'], ['Mount', { mode: 'always' }], ['Statx', { f: 'f1' }]]))).toMatchObject({ sDax: [true], xflagDax: [false], mountMode: 'always' });
    expect(last(play([['Umount'], ['Mount', { mode: 'never' }], ['Statx', { f: 'f1' }]], ON, { xflagDax: [true], size: ['small'] }))).toMatchObject({ sDax: [false], xflagDax: [true] });
  });

  it('an inode in memory keeps its S_DAX until the umount evicts it (dax.rst: "until the filesystem is remounted ... and the inode is evicted")', () => {
    const t = play([['Statx', { f: 'f1' }], ['Umount'], ['Mount', { mode: 'always' }], ['Statx', { f: 'f1' }]]);
    expect(t.steps.map((s) => (s.state as any).sDax[0])).toEqual([false, false, false, false, true]);
  });

  it('under dax=always or never the flag ioctl marks nothing (ext4_dax_dontcache, xfs_ioctl_setattr_prepare_dax), under dax=inode it does', () => {
    const flip: Move[] = [['Open', { p: 'p1', f: 'f1' }], ['SetFlag', { p: 'p1', f: 'f1', v: true }]];
    expect(last(play([['Umount'], ['Mount', { mode: 'never' }], ...flip]))).toMatchObject({ iDontcache: [false] });
    expect(last(play([['Umount'], ['Mount', { mode: 'inode' }], ...flip]))).toMatchObject({ iDontcache: [true] });
  });

  it('remount=off (the default) has neither the variables nor the steps', () => {
    const flat = compile(daxModel, 'instantiate-only', {});
    expect(flat.layout.slotNames).not.toContain('mounted');
    expect(flat.instances.some((i) => i.name === 'Umount')).toBe(false);
    expect(compile(daxModel, 'virtiofs-v6', ON).notes.remount).toMatch(/not modelled on virtiofs/);
  });
});

describe('on Linux 6.12.117, ext4 and xfs (recorded)', () => {
  const TOUR: Move[] = [
    ['Open', { p: 'p1', f: 'f1' }], ['Close', { p: 'p1', f: 'f1' }], ['Umount'], ['Mount', { mode: 'always' }],
    ['Open', { p: 'p1', f: 'f1' }], ['Write', { p: 'p1', f: 'f1' }], ['Close', { p: 'p1', f: 'f1' }], ['Umount'], ['Mount', { mode: 'never' }],
    ['Open', { p: 'p1', f: 'f1' }], ['SetFlag', { p: 'p1', f: 'f1', v: true }], ['Close', { p: 'p1', f: 'f1' }], ['Statx', { f: 'f1' }],
    ['Umount'], ['Mount', { mode: 'inode' }], ['Statx', { f: 'f1' }], ['Open', { p: 'p2', f: 'f1' }], ['Read', { p: 'p2', f: 'f1' }],
  ];
  const log = readFileSync(new URL('../conform/fixtures/mount-tour.kernel.log', import.meta.url), 'utf8');
  const caseOf = (): Case => {
    const { cm, steps } = play(TOUR);
    return { name: 't0', trace: { steps, variables: cm.layout.slotNames }, judgedBy: cm, origin: 'mount tour', saved: { source: 'mount tour', meta: { constants: cm.constants }, vars: [], steps: [] } };
  };

  it('every step agrees: umount evicts, each mode decides S_DAX at the next iget, dax=never marks nothing', () => {
    const r = judgeBoot(modelNamed('dax'), [caseOf()], ['ext4', 'xfs'], log);
    expect(r.perFs.map((f) => [f.fs, f.steps, f.agreed, f.disagreements.length])).toEqual([['ext4', 18, 18, 0], ['xfs', 18, 18, 0]]);
  });

  it('mount -o remount with another dax= mode: ext4 refuses it (-EINVAL), xfs returns 0 and keeps the mode', () => {
    const [ext4, xfs] = log.split('@begin xfs');
    expect(ext4!.match(/^@obs path - remount .*$/gm)).toEqual(['@obs path - remount -1 EINVAL inode', '@obs path - remount -1 EINVAL always', '@obs path - remount -1 EINVAL never']);
    expect(xfs!.match(/^@obs path - remount .*$/gm)).toEqual(['@obs path - remount 0 0 inode', '@obs path - remount 0 0 always', '@obs path - remount 0 0 never']);
  });

  it('an umount the kernel did not evict at, or a mode the kernel did not apply, would be caught at that step', () => {
    const kept = log.replace(/(@step 3 [^\n]*\n(?:@obs [^\n]*\n)*?)@obs kernel f1 evicted\n/g, '$1');
    expect(judgeBoot(modelNamed('dax'), [caseOf()], ['ext4', 'xfs'], kept).perFs.map((f) => f.disagreements[0]?.step)).toEqual([3, 3]);
    const notAlways = log.replace(/(@step 5 [^\n]*\n(?:@obs [^\n]*\n)*?@obs p1 f1 sdax )1/g, '$10');
    expect(judgeBoot(modelNamed('dax'), [caseOf()], ['ext4', 'xfs'], notAlways).perFs.map((f) => f.disagreements[0]?.step)).toEqual([5, 5]);
  });
});
