// Counterexamples a kernel developer recognises: every step named in the
// kernel's words, and the key cells of the table step by step.

import { describe, expect, it } from 'vitest';
import { type ActionInstance, type CompiledModel, compile } from '../../checker/compile.js';
import { Successors, TransitionCore } from '../../checker/core.js';
import { daxModel } from '../../spec/dax/index.js';
import { labels, lastState, shortestTrace, verdicts } from '../../testkit/dax.js';

/**
 * A label in the kernel's words names its step and everything it acts on:
 * the action (or the kernel path it takes) and every process and file by
 * the name the index sets give them (p1, f2).
 */
function namesItsStep(label: string, action: string, params: Readonly<Record<string, string | number | boolean>>): boolean {
  const words = label.split(/[\s();,]+/);
  const indexValues = Object.values(params).filter((v): v is string => typeof v === 'string' && /^[pf]\d+$/.test(v));
  return label.includes(action) && indexValues.every((v) => words.includes(v));
}

describe('dax traces', () => {
  it('every step any design can take is labelled with its action and the processes and files it acts on', () => {
    // At the default sizes the first 4,000 states breadth-first of each design (every reachable one of most; the
    // lock-cut designs have up to 28,000, whose labelling alone would hold the test worker for minutes) and every
    // action; elsewhere the first 300.
    const configs: [Record<string, string | number>, number][] = [[{}, 4000], [{ cache: 'auto' }, 300], [{ cache: 'none' }, 300], [{ procs: 3, files: 2 }, 300]];
    for (const [constants, limit] of configs) {
      for (const design of Object.keys(daxModel.designs)) {
        const cm = compile(daxModel, design, constants);
        const taken = new Set<string>();
        for (const { inst, label } of stepsFromReachableStates(cm, limit)) {
          taken.add(inst.name);
          expect(namesItsStep(label, inst.name, cm.showParams(inst) as Record<string, string>), `${design}: '${label}'`).toBe(true);
        }
        if (limit === 4000) expect([...taken].sort(), design).toEqual([...cm.actionNames].sort());
      }
    }
  });

  it('every step of every counterexample and witness names its action, processes and files (p1, f1)', () => {
    const configs: Record<string, string>[] = [{}, { cache: 'auto' }, { cache: 'none', policy: 'size' }];
    for (const constants of configs) {
      const { matrix } = verdicts(constants);
      let seen = 0;
      for (const r of matrix.runs) {
        for (const p of r.properties) {
          for (const step of p.trace?.steps.slice(1) ?? []) {
            seen++;
            expect(namesItsStep(step.label, step.action, step.params), `${r.design} / ${p.name}: '${step.label}'`).toBe(true);
          }
        }
      }
      expect(seen).toBeGreaterThan(100);
    }
  });

  it('ebusy-while-mapped, NoMixedMappings: an mmap slips between the -EBUSY check and the flip (Jan Kara, 2017-09-11: "tricky to prevent creation of new mappings")', () => {
    const t = shortestTrace('ebusy-while-mapped', 'NoMixedMappings');
    expect(t.steps.slice(1).map((s) => s.action)).toEqual(['Open', 'SetFlag', 'Mmap', 'SetFlagFlip', 'PageFault']);
    expect(labels(t)[4]).toContain('past its check');
    const last = lastState(t);
    expect(last.vma![0]).toEqual(['pagecache']);
    expect(last.pte![0]).toEqual(['dax-ro']);
  });

  it('ebusy-block-new-mappings: with ->mmap waiting for the flag change, no data property fails', () => {
    const { table } = verdicts({}, ['ebusy-block-new-mappings']);
    for (const p of ['NoMixedMappings', 'FaultFollowsMapping', 'MkwriteServedAsStarted', 'ReadSeesLastWrite', 'StatxTellsTheTruth']) {
      expect(table['ebusy-block-new-mappings']![p], p).toBe('holds');
    }
  });

  it('flip-on-ioctl, MkwriteServedAsStarted: the flip lands between the mm choosing page_mkwrite and the handler (Dave Chinner, 2017-09-07: "a racing page fault down the wrong path")', () => {
    const t = shortestTrace('flip-on-ioctl', 'MkwriteServedAsStarted');
    expect(t.steps.slice(1).map((s) => s.action)).toEqual(['Open', 'Open', 'Mmap', 'PageFault', 'PageFault', 'SetFlag', 'FaultHandler']);
    expect(labels(t)[5]).toContain('->page_mkwrite');
    expect(labels(t)[7]).toContain('DAX path');
  });

  it('flip-on-ioctl, ReadSeesLastWrite: a buffered write that chose its path before the flip lands in the page cache of a DAX inode', () => {
    const t = shortestTrace('flip-on-ioctl', 'ReadSeesLastWrite');
    expect(t.steps.slice(1).map((s) => s.action)).toEqual(['Open', 'Open', 'Write', 'SetFlag', 'WriteData', 'Read']);
    expect(labels(t)[3]).toContain('buffered path chosen');
    const last = lastState(t);
    expect(last.sDax).toEqual([true]);
    expect(last.pageCache).toEqual(['dirty']);
  });

  it('the atomic cut (cut=atomic) hides the TOCTOU: the -EBUSY designs hold every data property there', () => {
    const { table } = verdicts({ cut: 'atomic' }, ['ebusy-while-mapped', 'flip-on-ioctl']);
    expect(table['ebusy-while-mapped']!.NoMixedMappings).toBe('holds');
    expect(table['flip-on-ioctl']!.MkwriteServedAsStarted).toBe('holds');
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
    // v6's comparison does not mark there, nor anywhere else: its marks are all real.
    expect(verdicts({}, ['virtiofs-v6']).table['virtiofs-v6']!.NoSpuriousDontCache).toBe('holds');
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

    // The flag change never gets in by closing; a write does, when a statx asks the server after it: the write
    // invalidates the attributes (fuse_write_update_attr), FUSE_GETATTR brings the new FUSE_ATTR_DAX, and
    // fuse_change_attributes marks the inode and its dentry, so statx's dput evicts it.
    const always = verdicts({}, ['virtiofs-v6']).table['virtiofs-v6']!;
    expect(always.ReinstantiatedOtherMode).toBe('reached (5)');
    expect(labels(shortestTrace('virtiofs-v6', 'ReinstantiatedOtherMode'))).toEqual([
      'Init',
      'Lookup(FUSE_ATTR_DAX=0) → fuse_iget; Open(O_RDWR) p1 f1',
      'Write(past 32 KiB) p1 f1',
      'Close p1 f1',
      'FUSE_GETATTR(FUSE_ATTR_DAX=1); Statx f1 → STATX_ATTR_DAX=0 → Evict f1',
      'Lookup(FUSE_ATTR_DAX=1) → fuse_iget; Open(O_RDWR) p1 f1',
    ]);

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

/** Every step enabled in the first `limit` states breadth-first (through the transition core), labelled from its own before and after states. */
function stepsFromReachableStates(cm: CompiledModel, limit: number): { inst: ActionInstance; label: string }[] {
  const core = new TransitionCore(cm, { invariants: [], actionProperties: [], goals: [] });
  const succ = new Successors(core);
  const W = core.W;
  const seen = new Set<string>();
  const queue: Uint32Array[] = [];
  const reach = (words: Uint32Array) => {
    const key = words.join(',');
    if (!seen.has(key)) { seen.add(key); queue.push(Uint32Array.from(words)); }
  };
  for (const init of cm.inits) {
    if (!core.initial(init)) continue;
    const words = new Uint32Array(W);
    core.packNext(words, 0);
    reach(words);
  }
  const out: { inst: ActionInstance; label: string }[] = [];
  for (let at = 0; at < queue.length && at < limit; at++) {
    core.load(queue[at]!, 0);
    core.successors(succ);
    for (let q = 0; q < succ.count; q++) {
      const inst = cm.instances[succ.inst[q]!]!;
      core.loadNext(succ.words, q * W);
      out.push({ inst, label: cm.label(inst, core.cur, core.next) });
      reach(succ.words.subarray(q * W, (q + 1) * W));
    }
  }
  return out;
}
