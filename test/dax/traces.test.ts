// Counterexamples a kernel developer recognises: every step named in the
// kernel's words, and the key cells of the table step by step.

import { describe, expect, it } from 'vitest';
import { type ActionInstance, type CompiledModel, compile } from '../../checker/compile.js';
import { daxModel } from '../../spec/dax/index.js';
import { labels, lastState, shortestTrace, verdicts } from '../../testkit/dax.js';

/** Every label the dax model prints, as patterns: syscalls, faults, lookups, the kernel's own steps. */
const P = 'p\\d', F = 'f\\d';
const walk = `(Lookup\\(FS_XFLAG_DAX=[01]\\) → iget|Lookup\\(FUSE_ATTR_DAX=[01]\\) → (fuse_iget|revalidate)); `;
const evict = `( → Evict ${F})?`;
const KERNEL_WORDS = [
  'Init',
  `(${walk})?Open\\(O_(RDWR|RDONLY)\\) ${P} ${F}`,
  `(${walk})?Statx ${F} → STATX_ATTR_DAX=[01]${evict}`,
  `Mmap\\(MAP_SHARED\\) ${P} ${F}`,
  `Munmap ${P} ${F}${evict}`,
  `Close ${P} ${F}${evict}`,
  `SetFlag\\(FS_XFLAG_DAX=[01]\\) ${P} ${F}( → FUSE_IOCTL)?`,
  `PageFault\\((read|write)\\) ${P} ${F}`,
  `(Load|Store) ${P} ${F} \\(through the PTE\\)`,
  `Read ${P} ${F}`,
  `Write(\\(past 32 KiB\\))? ${P} ${F}`,
  `Writeback ${F}`,
  `Fork ${P} → ${P}`,
  `Exit ${P}`,
  `Timeout\\(entry_valid, attr_valid\\) ${F}`,
  `DropCaches ${F} → Evict ${F}`,
].map((re) => new RegExp(`^${re}$`));

describe('dax traces', () => {
  it('every step any design can take is labelled in the kernel\'s words', () => {
    // At the default sizes every reachable state (and so every action); elsewhere the first states breadth-first.
    const configs: [Record<string, string | number>, number][] = [[{}, Infinity], [{ cache: 'auto' }, 300], [{ cache: 'none' }, 300], [{ procs: 3, files: 2 }, 300]];
    for (const [constants, limit] of configs) {
      for (const design of Object.keys(daxModel.designs)) {
        const cm = compile(daxModel, design, constants);
        const taken = new Set<string>();
        for (const { inst, label } of stepsFromReachableStates(cm, limit)) {
          taken.add(inst.name);
          expect(KERNEL_WORDS.some((re) => re.test(label)), `${design}: '${label}'`).toBe(true);
        }
        if (limit === Infinity) expect([...taken].sort(), design).toEqual([...cm.actionNames].sort());
      }
    }
  });

  it('every step of every counterexample and witness is in the kernel\'s words, with processes and files named p1, f1', () => {
    const configs: Record<string, string>[] = [{}, { cache: 'auto' }, { cache: 'none', policy: 'size' }];
    for (const constants of configs) {
      const { matrix } = verdicts(constants);
      let seen = 0;
      for (const r of matrix.runs) {
        for (const p of r.properties) {
          for (const step of p.trace?.steps ?? []) {
            seen++;
            expect(KERNEL_WORDS.some((re) => re.test(step.label)), `${r.design} / ${p.name}: '${step.label}'`).toBe(true);
          }
        }
      }
      expect(seen).toBeGreaterThan(100);
    }
  });

  it('flip-on-ioctl, NoMixedMappings: the refault after the flip puts a pfn in a page-cache VMA (Dave Chinner, 2017-09-07)', () => {
    const t = shortestTrace('flip-on-ioctl', 'NoMixedMappings');
    expect(labels(t)).toEqual([
      'Init',
      'Lookup(FS_XFLAG_DAX=0) → iget; Open(O_RDWR) p1 f1',
      'Mmap(MAP_SHARED) p1 f1',
      'SetFlag(FS_XFLAG_DAX=1) p1 f1',
      'PageFault(read) p1 f1',
    ]);
    const s = lastState(t);
    expect(s.vma).toEqual([['pagecache'], ['none']]);
    expect(s.pte).toEqual([['dax-ro'], ['none']]);
    expect(s.sDax).toEqual([true]);
  });

  it('virtiofs v3, NoSpuriousDontCache: the first lookup of a DAX file already marks it, 8192 != 1', () => {
    const t = shortestTrace('virtiofs-v3-isdax-bug', 'NoSpuriousDontCache');
    expect(labels(t)).toEqual(['Init', 'Lookup(FUSE_ATTR_DAX=1) → fuse_iget; Open(O_RDWR) p1 f1']);
    const s = lastState(t);
    expect(s.sDax).toEqual([true]);
    expect(s.iDontcache).toEqual([true]);
    // d_mark_dontcache ran before the dentry was spliced: only the inode is marked.
    expect(s.dDontcache).toEqual([false]);
    // v6's comparison does not mark there.
    expect(verdicts({}, ['virtiofs-v6']).table['virtiofs-v6']!.NoSpuriousDontCache).toBe('vacuous');
  });

  it('virtiofs v6 under cache=always: the flag is set, every process closes, and the reopen still gets the old mode (Jeffle Xu, 2021-10-20)', () => {
    const t = shortestTrace('virtiofs-v6', 'NewModeAfterLastClose');
    expect(labels(t)).toEqual([
      'Init',
      'Lookup(FUSE_ATTR_DAX=0) → fuse_iget; Open(O_RDWR) p1 f1',
      'SetFlag(FS_XFLAG_DAX=1) p1 f1 → FUSE_IOCTL',
      'Close p1 f1',
      'Open(O_RDWR) p1 f1',
    ]);
    const s = lastState(t);
    expect(s.xflagDax).toEqual([true]);
    expect(s.size).toEqual(['big']);
    expect(s.sDax).toEqual([false]);
    expect(s.entryValid).toEqual([true]);

    // Only reclaim ever gets the new mode in: never the design's own route.
    const always = verdicts({}, ['virtiofs-v6']).table['virtiofs-v6']!;
    expect(always.ReinstantiatedOtherMode).toBe('vacuous');
    expect(always.SDaxChanged).toBe('reached (5)');
    expect(labels(shortestTrace('virtiofs-v6', 'SDaxChanged'))).toContain('DropCaches f1 → Evict f1');

    // With cache=auto the timeout ends it: "when dentry is timed out and a new FUSE_LOOKUP is requested".
    expect(labels(shortestTrace('virtiofs-v6', 'ReinstantiatedOtherMode', { cache: 'auto' }))).toEqual([
      'Init',
      'Lookup(FUSE_ATTR_DAX=0) → fuse_iget; Open(O_RDWR) p1 f1',
      'SetFlag(FS_XFLAG_DAX=1) p1 f1 → FUSE_IOCTL',
      'Timeout(entry_valid, attr_valid) f1',
      'Close p1 f1 → Evict f1',
      'Lookup(FUSE_ATTR_DAX=1) → fuse_iget; Open(O_RDWR) p1 f1',
    ]);
    // Vivek Goyal's alternative ends it at the ioctl, whatever the timeouts.
    expect(labels(shortestTrace('virtiofs-dontcache-at-ioctl', 'ReinstantiatedOtherMode'))).toEqual([
      'Init',
      'Lookup(FUSE_ATTR_DAX=0) → fuse_iget; Open(O_RDWR) p1 f1',
      'SetFlag(FS_XFLAG_DAX=1) p1 f1 → FUSE_IOCTL',
      'Close p1 f1 → Evict f1',
      'Lookup(FUSE_ATTR_DAX=1) → fuse_iget; Open(O_RDWR) p1 f1',
    ]);
  });

  it('what landed in ext4/xfs: the mark evicts at the last close and the next open has the new mode (dax.rst, item 6)', () => {
    expect(labels(shortestTrace('instantiate-only', 'ReinstantiatedOtherMode'))).toEqual([
      'Init',
      'Lookup(FS_XFLAG_DAX=0) → iget; Open(O_RDWR) p1 f1',
      'SetFlag(FS_XFLAG_DAX=1) p1 f1',
      'Close p1 f1 → Evict f1',
      'Lookup(FS_XFLAG_DAX=1) → iget; Open(O_RDWR) p1 f1',
    ]);
  });

  it('flip without flush loses a buffered write: Andreas Dilger\'s dirty-data case', () => {
    const t = shortestTrace('flip-without-flush', 'ReadSeesLastWrite');
    expect(labels(t)).toEqual([
      'Init',
      'Lookup(FS_XFLAG_DAX=0) → iget; Open(O_RDWR) p1 f1',
      'Write p1 f1',
      'SetFlag(FS_XFLAG_DAX=1) p1 f1',
      'Read p1 f1',
    ]);
    const s = lastState(t);
    expect([s.storage, s.pageCache, s.pageVersion, s.lastWrite]).toEqual([[0], ['dirty'], [1], [1]]);
  });
});

/** Every step enabled in the first `limit` states breadth-first, labelled from its own before and after states. */
function stepsFromReachableStates(cm: CompiledModel, limit: number): { inst: ActionInstance; label: string }[] {
  const { layout } = cm;
  const keyOf = (s: Int32Array) => Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1');
  const cur = layout.blank();
  const next = layout.blank();
  const curView = layout.view(cur);
  const nextView = layout.view(next);
  const seen = new Set<string>();
  const queue: Int32Array[] = [];
  const reach = () => {
    const key = keyOf(next);
    if (!seen.has(key)) { seen.add(key); queue.push(Int32Array.from(next)); }
  };
  for (const init of cm.inits) {
    next.set(layout.lo);
    init.effect(nextView, init.params);
    reach();
  }
  const out: { inst: ActionInstance; label: string }[] = [];
  for (let at = 0; at < queue.length && at < limit; at++) {
    cur.set(queue[at]!);
    for (const inst of cm.instances) {
      if (inst.guard && !inst.guard(curView, inst.params)) continue;
      next.set(cur);
      if (inst.effect(nextView, inst.params) === false) continue;
      out.push({ inst, label: cm.label(inst, cur, next) });
      reach();
    }
  }
  return out;
}
