// The fault path by filesystem (spec/dax/fault-path.ts): xfs asks IS_DAX at
// fault time, ext4 follows the vm_ops ext4_file_mmap chose. Scenarios played
// step by step, and the 2017 flip designs' rows under each filesystem.

import { describe, expect, it } from 'vitest';
import { failsAfter, playDax } from '../../testkit/dax-scenario.js';
import { verdicts } from '../../testkit/dax.js';

// A page-cache VMA, then the flag set and S_DAX flipped at the ioctl (xfs v4.13 xfs_ioctl_setattr_dax_invalidate:
// flush, invalidate, which zaps the PTE), then a read fault on that VMA.
const refaultAfterFlip = ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'PageFault p=p1 f=f1 write=false'];

describe('fault path by filesystem', () => {
  it('xfs: the refault asks IS_DAX and maps a pfn into the page-cache VMA (__xfs_filemap_fault)', () => {
    const r = playDax({ design: 'flip-on-ioctl', constants: { fs: 'xfs' }, init: 'size=[small]', steps: refaultAfterFlip, expect: ['vma[p1][f1]=pagecache', 'pte[p1][f1]=dax-ro'] });
    expect(r.ok).toBe(true);
    expect(failsAfter(r, 4)).toEqual(expect.arrayContaining(['NoMixedMappings', 'FaultFollowsMapping']));
  });

  it('ext4: the same refault goes through ext4_file_vm_ops to the page cache; statx now says DAX for a VMA that is not', () => {
    const r = playDax({ design: 'flip-on-ioctl', constants: { fs: 'ext4' }, init: 'size=[small]', steps: refaultAfterFlip, expect: ['sDax[f1]=true', 'pte[p1][f1]=pagecache-ro', 'pageCache[f1]=clean'] });
    expect(r.ok).toBe(true);
    expect(failsAfter(r, 4)).not.toContain('FaultFollowsMapping');
    expect(failsAfter(r, 4)).not.toContain('NoMixedMappings');
    expect(failsAfter(r, 4)).toContain('StatxTellsTheTruth');
  });

  it('what landed never flips a live inode, so the filesystems agree step by step', () => {
    const steps = ['Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'PageFault p=p1 f=f1 write=true', 'Munmap p=p1 f=f1', 'Close p=p1 f=f1', 'Open p=p1 f=f1', 'Mmap p=p1 f=f1', 'PageFault p=p1 f=f1 write=false'];
    const reports = (['xfs', 'ext4'] as const).map((fs) => playDax({ design: 'instantiate-only', constants: { fs }, init: 'size=[small]', steps, expect: ['vma[p1][f1]=dax', 'pte[p1][f1]=dax-ro'] }));
    for (const r of reports) expect(r.ok).toBe(true);
    expect(reports[1]!.steps).toEqual(reports[0]!.steps);
  });

  it('the flip designs fail as each filesystem would: xfs in the fault path, ext4 in what statx and the data say', () => {
    const designs = ['flip-on-ioctl', 'ebusy-while-mapped', 'ext4-patch9', 'instantiate-only'];
    const xfs = verdicts({ fs: 'xfs' }, designs).table;
    const ext4 = verdicts({ fs: 'ext4' }, designs).table;
    expect(xfs['flip-on-ioctl']).toMatchObject({ FaultFollowsMapping: 'violated (4)', MkwriteServedAsStarted: 'violated (7)', StatxTellsTheTruth: 'holds', ReadSeesLastWrite: 'violated (6)' });
    expect(ext4['flip-on-ioctl']).toMatchObject({ FaultFollowsMapping: 'holds', MkwriteServedAsStarted: 'holds', StatxTellsTheTruth: 'violated (3)', NoMixedMappings: 'violated (5)', ReadSeesLastWrite: 'violated (5)' });
    // flip-on-ioctl on ext4 is Ross Zwisler's ext4 patch 9: the same model, whichever fs is set for ext4-patch9.
    expect(ext4['flip-on-ioctl']).toEqual(ext4['ext4-patch9']);
    expect(xfs['ext4-patch9']).toEqual(ext4['ext4-patch9']);
    expect(ext4['ebusy-while-mapped']).toMatchObject({ FaultFollowsMapping: 'holds', StatxTellsTheTruth: 'violated (4)', NoMixedMappings: 'violated (6)' });
    expect(xfs['ebusy-while-mapped']).toMatchObject({ FaultFollowsMapping: 'violated (5)', StatxTellsTheTruth: 'holds', NoMixedMappings: 'violated (5)' });
    expect(ext4['instantiate-only']).toEqual(xfs['instantiate-only']);
  });
});
