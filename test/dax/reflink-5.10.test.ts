// The v5.10 xfs reflink exclusion (spec/dax/reflink-5.10.ts), under the design
// instantiate-only-5.10 with unfit=reflink: xfs_inode_supports_dax refused a
// reflinked file at iget, and xfs_ioctl_setattr marked the inode
// (xfs_ioctl_setattr_prepare_dax) before xfs_ioctl_setattr_xflags failed
// FS_XFLAG_DAX with -EINVAL. 6.12 has neither (test/dax/exclusions.test.ts).

import { describe, expect, it } from 'vitest';
import { daxObservations } from '../../spec/dax/observations.js';
import { failsAfter, playDax } from '../../testkit/dax-scenario.js';
import { verdicts } from '../../testkit/dax.js';

const D = 'instantiate-only-5.10';
const REFLINK = { unfit: 'reflink' };

describe('xfs v5.10: a reflinked file', () => {
  it('setting FS_XFLAG_DAX marks the inode, then fails with -EINVAL: the flag stays clear, and the mark is spurious', () => {
    const r = playDax({
      design: D, constants: REFLINK, init: 'size=[small]',
      steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'Close p=p1 f=f1', 'Open p=p1 f=f1'],
      expect: ['2:xflagDax[f1]=false', '2:iDontcache[f1]=true', '2:dDontcache[f1]=true', '3:inode[f1]=evicted', 'sDax[f1]=false'],
    });
    expect(r.ok).toBe(true);
    expect(r.steps.find((x) => x.step === 2)!.label).toMatch(/→ -EINVAL after d_mark_dontcache/);
    expect(failsAfter(r, 2)).toContain('NoSpuriousDontCache');
  });

  it('the failing request is a step only while it marks: once marked, or under dax=always/never, it changes nothing', () => {
    const again = playDax({ design: D, constants: REFLINK, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true', 'SetFlag p=p1 f=f1 v=true'] });
    expect(again.refusal).toMatchObject({ step: 3, reason: 'guard', action: 'SetFlag' });
    for (const mount of ['always', 'never']) {
      const r = playDax({ design: D, constants: { ...REFLINK, mount }, init: 'size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true'] });
      expect(r.refusal).toMatchObject({ step: 2, reason: 'guard', action: 'SetFlag' });
    }
  });

  it('not even dax=always makes it DAX (xfs_inode_supports_dax is asked first); clearing a flag it carries succeeds, with the mark', () => {
    const always = playDax({ design: D, constants: { ...REFLINK, mount: 'always' }, init: 'size=[small]', steps: ['Open p=p1 f=f1'], expect: ['sDax[f1]=false'] });
    expect(always.ok).toBe(true);
    const clear = playDax({ design: D, constants: REFLINK, init: 'xflagDax=[true] size=[small]', steps: ['Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=false'], expect: ['1:sDax[f1]=false', 'xflagDax[f1]=false', 'iDontcache[f1]=true'] });
    expect(clear.ok).toBe(true);
    expect(clear.steps.find((x) => x.step === 2)!.label).not.toMatch(/EINVAL/);
  });

  it('its verdicts: NoSpuriousDontCache fails where 6.12 (and 5.10 without the reflink) holds, and nothing is ever DAX', () => {
    const v510 = verdicts(REFLINK, [D]).table[D]!;
    expect(v510.NoSpuriousDontCache).toBe('violated (2)');
    expect(v510.DaxMappingLive).toBe('vacuous'); // nothing is ever DAX
    // the failed request's mark loses dirty data as a successful one did in 5.10 (generic_drop_inode, fixed by 88149082bb8e)
    expect(v510.ReadSeesLastWrite).toBe('violated (6)');
    expect(verdicts({}, [D]).table[D]!.NoSpuriousDontCache).not.toMatch(/violated/);
    expect(verdicts(REFLINK, ['instantiate-only']).table['instantiate-only']!.NoSpuriousDontCache).not.toMatch(/violated/);
  });

  it('the conformance judge expects -1 EINVAL of that ioctl, so a 6.12 kernel that sets the flag (0) disagrees', () => {
    const before = { xflagDax: [false], ioctl: [[false], [false]] };
    const step = { action: 'SetFlag', params: { p: 'p1', f: 'f1', v: true }, before, after: { ...before } } as never;
    const at = (ret: string, errno: string) => daxObservations.judge({ who: 'p1', file: 'f1', what: 'ret', value: ['ioctl', ret, errno] } as never, step);
    expect(at('-1', 'EINVAL')?.agrees).toBe(true);
    expect(at('0', '0')?.agrees).toBe(false);
    const ok = { ...step as object, after: { xflagDax: [true], ioctl: [[false], [false]] } } as never;
    expect(daxObservations.judge({ who: 'p1', file: 'f1', what: 'ret', value: ['ioctl', '0', '0'] } as never, ok)?.agrees).toBe(true);
  });
});
