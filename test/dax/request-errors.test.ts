// The flag ioctl's error paths after the DONTCACHE mark (flagRequest=plus-refused,
// spec/dax/request-errors.ts, 6.12): xfs_fileattr_set marks the inode in
// xfs_ioctl_setattr_prepare_dax before xfs_ioctl_setattr_xflags refuses
// FS_XFLAG_REALTIME without a realtime device; ext4_fileattr_set has written
// the flag (ext4_ioctl_setflags, with its mark) before ext4_ioctl_setproject
// refuses a project ID without the project feature.

import { describe, expect, it } from 'vitest';
import { daxObservations } from '../../spec/dax/observations.js';
import { failsAfter, playDax } from '../../testkit/dax-scenario.js';

const label = (r: ReturnType<typeof playDax>, n: number) => r.steps.find((x) => x.step === n)!.label;

describe('xfs: FS_XFLAG_DAX with FS_XFLAG_REALTIME on a filesystem without a realtime device', () => {
  const constants = { flagRequest: 'plus-refused' };
  it('marks the inode, then -EINVAL: the flag stays, the mark is spurious and the last close evicts the inode', () => {
    const r = playDax({
      design: 'instantiate-only', constants, init: 'size=[small]',
      steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true rt=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'],
      expect: ['2:xflagDax[f1]=false', '2:iDontcache[f1]=true', '3:inode[f1]=evicted', 'sDax[f1]=false'],
    });
    expect(r.ok).toBe(true);
    expect(label(r, 2)).toMatch(/\+ rt\).*-EINVAL after d_mark_dontcache/);
    expect(failsAfter(r, 2)).toContain('NoSpuriousDontCache');
  });
  it('without the second attribute the request is the landed one; with it, once marked, it changes nothing and is no step', () => {
    const plain = playDax({ design: 'instantiate-only', constants, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true rt=false'], expect: ['xflagDax[f1]=true', 'iDontcache[f1]=true'] });
    expect(plain.ok).toBe(true);
    expect(label(plain, 2)).not.toMatch(/EINVAL/);
    const again = playDax({ design: 'instantiate-only', constants, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true rt=true', 'SetFlag p=p1 f=f1 v=true rt=true'] });
    expect(again.refusal).toMatchObject({ step: 3, reason: 'guard', action: 'SetFlag' });
  });
});

describe('ext4: FS_XFLAG_DAX with a project ID on a filesystem without the project feature', () => {
  const constants = { fs: 'ext4', flagRequest: 'plus-refused' };
  it('returns -EOPNOTSUPP after the flag is written and the inode marked: it did what a successful request does', () => {
    const r = playDax({
      design: 'instantiate-only', constants, init: 'size=[small]',
      steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true projid=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'],
      expect: ['2:xflagDax[f1]=true', '2:iDontcache[f1]=true', '3:inode[f1]=evicted', 'sDax[f1]=true'],
    });
    expect(r.ok).toBe(true);
    expect(label(r, 2)).toMatch(/-EOPNOTSUPP after the flag is written/);
    expect(failsAfter(r, 2)).not.toContain('NoSpuriousDontCache');
  });
});

describe('the conformance judge', () => {
  const before = { xflagDax: [false], ioctl: [[false], [false]] };
  const judge = (params: Record<string, unknown>, after: object, ret: string, errno: string) =>
    daxObservations.judge({ who: 'p1', file: 'f1', what: 'ret', value: ['ioctl', ret, errno] } as never, { action: 'SetFlag', params: { p: 'p1', f: 'f1', v: true, ...params }, before, after } as never)?.agrees;
  it('expects -1 EINVAL of the xfs request and -1 EOPNOTSUPP of the ext4 one, 0 of a plain one', () => {
    expect(judge({ rt: true }, before, '-1', 'EINVAL')).toBe(true);
    expect(judge({ rt: true }, before, '0', '0')).toBe(false);
    const set = { xflagDax: [true], ioctl: [[false], [false]] };
    expect(judge({ projid: true }, set, '-1', 'EOPNOTSUPP')).toBe(true);
    expect(judge({ projid: true }, set, '-1', 'EINVAL')).toBe(false);
    expect(judge({ projid: false }, set, '0', '0')).toBe(true);
  });
});
