// Facts that hold in every design because the model is built that way; a
// failure here is a bug in the model, not a finding about a design.

import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import type { Invariant } from '../../checker/model.js';
import { check } from '../../checker/search.js';
import { daxModel } from '../../spec/dax/index.js';
import { FaultStage, Fd, InCore, PageCache, Pte, Vma, WritePath, type S } from '../../spec/dax/state.js';

function sanity(P: number, F: number, ext4xfs: boolean, readOnlyOpens: boolean): Invariant {
  const fail = (why: string) => { throw new Error(why); };
  return {
    kind: 'invariant',
    holds: ((s: S) => {
      for (let f = 0; f < F; f++) {
        const cached = s.inode[f] === InCore.cached;
        if (s.storage[f]! > s.lastWrite[f]! || s.pageVersion[f]! > s.lastWrite[f]!) fail('a version newer than the last write');
        if (s.pageCache[f] === PageCache.none && s.pageVersion[f] !== 0) fail('a version with no page');
        if (s.dDontcache[f] === 1 && s.iDontcache[f] === 0) fail('a DONTCACHE dentry on an unmarked inode');
        if (ext4xfs && (s.entryValid[f] === 1 || s.attrValid[f] === 1 || s.iDontcache[f] !== s.dDontcache[f])) fail('virtiofs state on ext4/xfs');
        if (!cached && (s.pageCache[f] !== PageCache.none || s.iDontcache[f] || s.entryValid[f] || s.attrValid[f])) fail('state of an evicted inode');
        for (let p = 0; p < P; p++) {
          const fd = s.fd[p]![f], vma = s.vma[p]![f], pte = s.pte[p]![f];
          if (!cached && (fd !== Fd.closed || vma !== Vma.none)) fail('a reference to an evicted inode');
          if (pte !== Pte.none && vma === Vma.none) fail('a PTE with no VMA');
          if (s.vmaReadOnly[p]![f] === 1 && vma === Vma.none) fail('a read-only flag on no VMA');
          if ((pte === Pte['pagecache-ro'] || pte === Pte['pagecache-rw']) && s.pageCache[f] === PageCache.none) fail('a PTE on no page');
          if (pte === Pte['pagecache-rw'] && s.pageCache[f] !== PageCache.dirty) fail('a writable PTE on a clean page');
          if (!readOnlyOpens && fd === Fd.O_RDONLY) fail('an O_RDONLY open where no design asks for one');
          if (s.ioctl[p]![f] === 1 && fd === Fd.closed) fail('a flag ioctl with no open file');
          if (s.writePath[p]![f] !== WritePath.none && fd !== Fd.O_RDWR) fail('a write with no O_RDWR file');
          // (its PTE may be gone: a flip between the mm's choice and the handler zaps it, and the handler bails out)
          if (s.fault[p]![f] !== FaultStage.none && vma === Vma.none) fail('a mkwrite with no VMA');
        }
      }
      return true;
    }) as Invariant['holds'],
  };
}

describe('dax model sanity', () => {
  // procs=3 with the atomic cut: with the lock cut the flip designs have up to 1.3 M states there (a minute on a shared core).
  const configs: Record<string, string | number>[] = [{}, { cache: 'auto' }, { cache: 'none', policy: 'size' }, { mount: 'always' }, { procs: 3, cut: 'atomic' }, { cut: 'atomic' }];
  for (const constants of configs) {
    it(`holds in every design with ${JSON.stringify(constants)}`, () => {
      for (const design of Object.keys(daxModel.designs)) {
        const cm = compile(daxModel, design, constants);
        const P = Number(cm.constants.procs), F = Number(cm.constants.files);
        const extra = sanity(P, F, !design.startsWith('virtiofs'), design === 'set-only-on-empty-file');
        const r = check({ ...cm, invariants: [{ name: 'Sanity', def: extra }], actionProperties: [], goals: [] });
        expect(r.complete, design).toBe(true);
        expect(r.properties[0]!.status, design).toBe('holds');
        expect(r.deadlock, design).toBeUndefined();
      }
    });
  }
});
