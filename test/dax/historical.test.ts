// The historical designs of issue 15, played step by step: the dcache and
// iput_final of 5.8-5.10 (before 77573fa310d9 and 88149082bb8e; read at
// v5.10 fs/dcache.c, fs/inode.c, include/linux/fs.h) and xfs v4.13 mounted
// -o dax (fs/xfs/xfs_iops.c, fs/xfs/xfs_ioctl.c at v4.13).

import { describe, expect, it } from 'vitest';
import { failsAfter, playDax } from '../../testkit/dax-scenario.js';

const small = 'size=[small]';

describe('5.8-5.10: fast_dput and generic_drop_inode before the 5.11 fixes', () => {
  // generic/608 test_buffered_data_lost: write, set the flag, close.
  const dataLost = ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Write p=p1 f=f1', 'Close p=p1 f=f1', 'Open p=p1 f=f1', 'Read p=p1 f=f1'];

  it('a marked dirty inode is evicted without writeback at the last close, and the write is gone (88149082bb8e)', () => {
    const r = playDax({ design: 'instantiate-only-5.10', init: small, steps: dataLost, expect: ['4:inode[f1]=evicted', '4:storage[f1]=0', 'lastWrite[f1]=1', 'sDax[f1]=true'] });
    expect(r.ok).toBe(true);
    expect(failsAfter(r, 6)).toContain('ReadSeesLastWrite');
    // Since 5.11 iput_final writes it back first.
    const fixed = playDax({ design: 'instantiate-only', init: small, steps: dataLost, expect: ['4:storage[f1]=1'] });
    expect(fixed.ok).toBe(true);
    expect(failsAfter(fixed, 6)).not.toContain('ReadSeesLastWrite');
  });

  // Hao Li's example: the dentry's first dput to zero puts it on the LRU, the second sets DCACHE_REFERENCED.
  const referencedSurvives = ['Statx f=f1', 'Statx f=f1', 'Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'];

  it('a REFERENCED dentry on the LRU survives its DONTCACHE mark at the last close (77573fa310d9)', () => {
    const r = playDax({ design: 'instantiate-only-5.10', init: small, steps: referencedSurvives, expect: ['1:dLru[f1]=lru', '2:dLru[f1]=referenced', '5:inode[f1]=cached', '5:iDontcache[f1]=true', 'sDax[f1]=false'] });
    expect(r.ok).toBe(true);
    expect(failsAfter(r, 6)).toContain('NewModeAfterLastClose');
    const fixed = playDax({ design: 'instantiate-only', init: small, steps: referencedSurvives, expect: ['5:inode[f1]=evicted', 'sDax[f1]=true'] });
    expect(fixed.ok).toBe(true);
  });

  it('one dput to zero before the mark is not enough: the dentry is not yet REFERENCED and dies', () => {
    const r = playDax({ design: 'instantiate-only-5.10', init: small, steps: ['Statx f=f1', 'Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'], expect: ['4:inode[f1]=evicted', 'sDax[f1]=true'] });
    expect(r.ok).toBe(true);
  });

  it('drop_caches then does what the last close did not ("unless we do a drop_caches manually")', () => {
    const r = playDax({ design: 'instantiate-only-5.10', init: small, steps: [...referencedSurvives.slice(0, 5), 'DropCaches f=f1', 'Open p=p1 f=f1'], expect: ['6:inode[f1]=reclaimed', 'sDax[f1]=true'] });
    expect(r.ok).toBe(true);
  });

  it('5.10 reclaim frees an inode whose mapping holds only DAX entries (i_data.nrpages); 6.12 keeps it (mapping_empty)', () => {
    const steps = ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'PageFault p=p1 f=f1 write=false', 'Munmap p=p1 f=f1', 'Close p=p1 f=f1', 'DropCaches f=f1'];
    const r = playDax({ design: 'instantiate-only-5.10', init: 'xflagDax=[true] size=[small]', steps, expect: ['3:daxEntries[f1]=true', 'inode[f1]=reclaimed'] });
    expect(r.ok).toBe(true);
    const now = playDax({ design: 'instantiate-only', init: 'xflagDax=[true] size=[small]', steps });
    expect(now.ok).toBe(false);
    expect(now.refusal).toMatchObject({ step: 6, action: 'DropCaches' });
  });
});

describe('xfs v4.13 mounted -o dax', () => {
  it('every file is DAX at iget whatever its flag; clearing a clear flag flips the live inode to the page cache', () => {
    const r = playDax({
      design: 'xfs-v4.13-mount-dax', init: small,
      steps: ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'SetFlag p=p1 f=f1 v=false', 'PageFault p=p1 f=f1 write=false'],
      expect: ['1:sDax[f1]=true', '2:vma[p1][f1]=dax', '3:xflagDax[f1]=false', '3:sDax[f1]=false', 'pte[p1][f1]=pagecache-ro'],
    });
    expect(r.ok).toBe(true);
    expect(failsAfter(r, 4)).toEqual(expect.arrayContaining(['NoMixedMappings', 'FaultFollowsMapping']));
  });

  it('setting the flag on a DAX inode returns early (the DAX state is not changing): no invalidation (the PTE stays), S_DAX stays', () => {
    const r = playDax({ design: 'xfs-v4.13-mount-dax', init: small, steps: ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'PageFault p=p1 f=f1 write=false', 'SetFlag p=p1 f=f1 v=true'], expect: ['xflagDax[f1]=true', 'sDax[f1]=true', 'pte[p1][f1]=dax-ro', 'modeChange[f1]=none'] });
    expect(r.ok).toBe(true);
  });

  it('the page-cache inode stays until it leaves memory; the next iget makes it DAX again', () => {
    const r = playDax({
      design: 'xfs-v4.13-mount-dax', init: small,
      steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=false', 'Close p=p1 f=f1', 'Open p=p1 f=f1', 'Close p=p1 f=f1', 'DropCaches f=f1', 'Open p=p1 f=f1'],
      expect: ['4:sDax[f1]=false', 'sDax[f1]=true'],
    });
    expect(r.ok).toBe(true);
    expect(failsAfter(r, 4)).toContain('NewModeAfterLastClose');
  });
});
