// Files and devices that cannot be DAX (spec/dax/exclusions.ts, Linux 6.12):
// what iget, the mount and the flag ioctl do with them, played step by step.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { UsageError } from '../../checker/errors.js';
import { daxModel } from '../../spec/dax/index.js';
import { failsAfter, playDax } from '../../testkit/dax-scenario.js';
import { verdicts } from '../../testkit/dax.js';

describe('files that cannot be DAX', () => {
  for (const unfit of ['journal-data', 'inline-data', 'encrypted', 'verity']) {
    it(`ext4 ${unfit}: setting FS_XFLAG_DAX is -EOPNOTSUPP (dax_compatible) and changes nothing`, () => {
      const r = playDax({ design: 'instantiate-only', constants: { fs: 'ext4', unfit }, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true'] });
      expect(r.ok).toBe(false);
      expect(r.refusal).toMatchObject({ step: 2, reason: 'guard', action: 'SetFlag' });
    });
  }

  it('ext4: not even dax=always makes such a file DAX (ext4_should_enable_dax tests it first)', () => {
    const r = playDax({ design: 'instantiate-only', constants: { fs: 'ext4', unfit: 'encrypted', mount: 'always' }, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'Mmap p=p1 f=f1'], expect: ['sDax[f1]=false', 'vma[p1][f1]=pagecache'] });
    expect(r.ok).toBe(true);
  });

  it('ext4 journal-data: under delalloc (the default) the journal flag does not make ext4_should_journal_data true, so dax=always makes the file DAX', () => {
    // ext4_inode_journal_mode counts EXT4_INODE_JOURNAL_DATA only without delalloc; 6.12.117 showed S_DAX 1 and MAP_SYNC accepted
    const r = playDax({ design: 'instantiate-only', constants: { fs: 'ext4', unfit: 'journal-data', mount: 'always' }, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'Mmap p=p1 f=f1'], expect: ['sDax[f1]=true', 'vma[p1][f1]=dax'] });
    expect(r.ok).toBe(true);
  });

  it('ext4 verity: an O_RDWR open is -EPERM (fsverity_file_open), no step; the file is only read', () => {
    const rw = playDax({ design: 'instantiate-only', constants: { fs: 'ext4', unfit: 'verity' }, init: 'size=[small]', steps: ['Open p=p1 f=f1 ro=false'] });
    expect(rw.refusal).toMatchObject({ step: 1, reason: 'guard', action: 'Open' });
    const ro = playDax({ design: 'instantiate-only', constants: { fs: 'ext4', unfit: 'verity' }, init: 'size=[small]', steps: ['Open p=p1 f=f1 ro=true', 'Read p=p1 f=f1'], expect: ['fd[p1][f1]=O_RDONLY', 'sDax[f1]=false'] });
    expect(ro.ok).toBe(true);
    // other files open O_RDWR as before, and are written
    const j = playDax({ design: 'instantiate-only', constants: { fs: 'ext4', unfit: 'journal-data' }, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'Write p=p1 f=f1'], expect: ['fd[p1][f1]=O_RDWR'] });
    expect(j.ok).toBe(true);
  });

  it('ext4: such a file never carries the flag, so the initial states have it clear', () => {
    const cm = compile(daxModel, 'instantiate-only', { fs: 'ext4', unfit: 'verity' });
    expect(cm.inits).toHaveLength(2); // size empty or small, the flag clear
    expect(compile(daxModel, 'instantiate-only', { fs: 'ext4' }).inits).toHaveLength(4);
  });

  it('xfs 6.12: a reflinked file can be DAX (xfs_inode_supports_dax no longer tests reflink): the same as any file', () => {
    const steps = ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'];
    const r = playDax({ design: 'instantiate-only', constants: { unfit: 'reflink' }, init: 'size=[small]', steps, expect: ['sDax[f1]=true'] });
    expect(r.ok).toBe(true);
    expect(verdicts({ unfit: 'reflink' }, ['instantiate-only']).table).toEqual(verdicts({}, ['instantiate-only']).table);
  });

  it('an attribute of the other filesystem is exit 2 naming what is accepted', () => {
    expect(() => compile(daxModel, 'instantiate-only', { unfit: 'inline-data' })).toThrow(UsageError);
    expect(() => compile(daxModel, 'instantiate-only', { unfit: 'inline-data' })).toThrow(/ext4 attribute; give --const fs=ext4/);
    expect(() => compile(daxModel, 'instantiate-only', { fs: 'ext4', unfit: 'reflink' })).toThrow(/xfs attribute/);
    // virtiofs designs ignore the ext4/xfs constants
    expect(() => compile(daxModel, 'virtiofs-v6', { unfit: 'inline-data' })).not.toThrow();
  });
});

describe('devices that cannot do DAX', () => {
  for (const device of ['nodax', 'blocksize']) {
    for (const fs of ['ext4', 'xfs']) {
      it(`${fs}, device=${device}, dax=inode: no file is DAX, yet the ioctl marks the inode and the last close evicts it for nothing`, () => {
        const r = playDax({
          design: 'instantiate-only', constants: { fs, device }, init: 'size=[small]',
          steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'],
          expect: ['2:iDontcache[f1]=true', '3:inode[f1]=evicted', 'xflagDax[f1]=true', 'sDax[f1]=false'],
        });
        expect(r.ok).toBe(true);
        expect(failsAfter(r, 2)).toContain('NoSpuriousDontCache');
      });
    }
  }

  it('xfs, dax=always on a device without DAX: xfs_setup_dax_always turns DAX off (dax=never): nothing is DAX, nothing is marked', () => {
    const r = playDax({ design: 'instantiate-only', constants: { device: 'nodax', mount: 'always' }, init: 'xflagDax=[true] size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=false'], expect: ['1:sDax[f1]=false', 'iDontcache[f1]=false'] });
    expect(r.ok).toBe(true);
  });

  it('ext4, dax=always on a device without DAX: the mount fails, exit 2 with the kernel\'s message', () => {
    expect(() => compile(daxModel, 'instantiate-only', { fs: 'ext4', device: 'nodax', mount: 'always' })).toThrow(/the mount fails .*DAX unsupported by block device/);
    expect(() => compile(daxModel, 'instantiate-only', { fs: 'ext4', unfit: 'inline-data', mount: 'always' })).toThrow(/may contain inline data/);
  });

  it('ext4 with remount=on on such a device: Mount(dax=always) is a failing mount(2), no step; dax=never and dax=inode mount', () => {
    for (const constants of [{ fs: 'ext4', device: 'nodax', remount: 'on' }, { fs: 'ext4', device: 'blocksize', remount: 'on' }, { fs: 'ext4', unfit: 'inline-data', remount: 'on' }]) {
      const refused = playDax({ design: 'instantiate-only', constants, init: 'size=[small]', steps: ['Umount', 'Mount mode=always'] });
      expect(refused.ok).toBe(false);
      expect(refused.refusal).toMatchObject({ step: 2, reason: 'guard', action: 'Mount' });
      const never = playDax({ design: 'instantiate-only', constants, init: 'size=[small]', steps: ['Umount', 'Mount mode=never', 'Open p=p1 f=f1', 'Close p=p1 f=f1', 'Umount', 'Mount mode=inode', 'Open p=p1 f=f1'], expect: ['sDax[f1]=false', 'mountMode=inode'] });
      expect(never.ok).toBe(true);
    }
    // xfs mounts dax=always on it and turns DAX off (xfs_setup_dax_always): a step, after which nothing is DAX
    const xfs = playDax({ design: 'instantiate-only', constants: { device: 'nodax', remount: 'on' }, init: 'xflagDax=[true] size=[small]', steps: ['Umount', 'Mount mode=always', 'Open p=p1 f=f1'], expect: ['sDax[f1]=false'] });
    expect(xfs.ok).toBe(true);
    // the initial mount still has to succeed: mount=always there is exit 2, as without remount
    expect(() => compile(daxModel, 'instantiate-only', { fs: 'ext4', device: 'nodax', remount: 'on', mount: 'always' })).toThrow(UsageError);
  });
});
