// ModeConverges (spec/dax/liveness.ts) for every design under every cache=
// value, each cell with its reason. A cell that disagrees is a finding about
// a design (or the model): report it, do not bend the expectation.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { check } from '../../checker/search.js';
import { daxModel } from '../../spec/dax/index.js';
import { holds, labels, shortestTrace, vacuous, violated } from '../../testkit/dax.js';

const modeConverges = (cache: string, design: string, more: Record<string, string> = {}) => {
  const r = check(compile(daxModel, design, { cache, ...more }), { properties: ['ModeConverges'] });
  const p = r.properties[0]!;
  return p.trace ? violated(p.trace.steps.length - 1) : p.status;
};

// The 2017 designs flip S_DAX at the ioctl (or refuse it), so an inode is never left with a mode its flag no
// longer asks for: the trigger is never reached, whatever cache= says (it is a virtiofs constant).
const ext4xfsFlips = ['flip-without-flush', 'flip-on-ioctl', 'ebusy-while-mapped', 'ebusy-while-open', 'set-only-on-empty-file', 'per-mapping', 'per-mapping-ebusy'];

describe('ModeConverges: the new mode eventually takes effect', () => {
  it('ext4/xfs: vacuous for the flip designs, holds for what landed', () => {
    for (const d of ext4xfsFlips) expect(modeConverges('always', d), d).toBe(vacuous);
    // instantiate-only: the ioctl marks the inode DONTCACHE and its last close evicts it in the same step
    // (iput_final, 5.11+), so the stale, unused state already has the inode gone.
    expect(modeConverges('always', 'instantiate-only')).toBe(holds);
  });

  it('virtiofs under each cache= value', () => {
    const v = ['virtiofs-v3-isdax-bug', 'virtiofs-v6', 'virtiofs-dontcache-at-ioctl'];
    const row = (cache: string) => Object.fromEntries(v.map((d) => [d, modeConverges(cache, d)]));
    // cache=always (Jeffle Xu, 002, 2021-10-20), alwaysTimeout=beyond-run (the default): the 86400 s entry
    // timeout does not pass within the run, so the client never asks the server again; after the last close the old inode stays, in the old mode, forever (reclaim is not fair).
    // dontcache-at-ioctl marks at the ioctl, but the server's answer also changes when a write takes the file
    // past 32 KiB, and nothing marks then.
    expect(row('always')).toEqual({ 'virtiofs-v3-isdax-bug': violated(3), 'virtiofs-v6': violated(3), 'virtiofs-dontcache-at-ioctl': violated(3) });
    // cache=auto: WF(Timeout) makes the timeout happen, but an unused dentry that expires is neither dropped
    // nor revalidated until the next lookup (fuse_dentry_delete runs at the last dput, before it expired), so
    // with no further open the stale inode stays: one step longer, ending in the timeout.
    expect(row('auto')).toEqual({ 'virtiofs-v3-isdax-bug': violated(4), 'virtiofs-v6': violated(4), 'virtiofs-dontcache-at-ioctl': violated(4) });
    // cache=none: the entry is expired from the start, so the last close drops the dentry and evicts.
    expect(row('none')).toEqual({ 'virtiofs-v3-isdax-bug': holds, 'virtiofs-v6': holds, 'virtiofs-dontcache-at-ioctl': holds });
  });

  it('cache=always whose day passes (alwaysTimeout=expires) is cache=auto: the kernel\'s timeout is finite', () => {
    // time_to_jiffies (fs/fuse/dir.c) gives every non-zero entry_valid a finite deadline, and virtiofsd's
    // cache=always sends 86400 s: with WF(Timeout) the verdicts are those of cache=auto, cell by cell, and the
    // lasso ends in the timeout as there. Still violated: expiry alone neither drops nor revalidates a dentry.
    const v = ['virtiofs-v3-isdax-bug', 'virtiofs-v6', 'virtiofs-dontcache-at-ioctl'];
    const row = Object.fromEntries(v.map((d) => [d, modeConverges('always', d, { alwaysTimeout: 'expires' })]));
    expect(row).toEqual({ 'virtiofs-v3-isdax-bug': violated(4), 'virtiofs-v6': violated(4), 'virtiofs-dontcache-at-ioctl': violated(4) });
    expect(modeConverges('always', 'instantiate-only', { alwaysTimeout: 'expires' })).toBe(holds);
    const lasso = shortestTrace('virtiofs-v6', 'ModeConverges', { alwaysTimeout: 'expires' });
    expect(lasso.steps.map((s) => s.action).slice(1)).toEqual(['Open', 'SetFlag', 'Close', 'Timeout']);
    expect(lasso.loopIndex).toBe(4);
  });

  it('fairness changes the lasso: without WF(Timeout) it would stutter before the timeout', () => {
    const always = shortestTrace('virtiofs-v6', 'ModeConverges');
    expect(labels(always).slice(1)).toEqual(['Lookup(FUSE_ATTR_DAX=0) → fuse_iget; Open(O_RDWR) p1 f1', 'SetFlag(FS_XFLAG_DAX=1) p1 f1 → FUSE_IOCTL', 'Close p1 f1']);
    expect(always.loopIndex).toBe(3);
    const auto = shortestTrace('virtiofs-v6', 'ModeConverges', { cache: 'auto' });
    expect(auto.steps.map((s) => s.action).slice(1)).toEqual(['Open', 'SetFlag', 'Close', 'Timeout']);
    expect(auto.loopIndex).toBe(4);
  });
});
