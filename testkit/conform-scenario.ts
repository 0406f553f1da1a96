// A trace of the dax model built by its program-visible steps only (process,
// file, flag value, read or write), so that it stays the same trace however
// the model names what the kernel decides in a step.

import { compile, type CompiledModel } from '../checker/compile.js';
import type { ModelDef } from '../checker/model.js';
import type { Trace } from '../checker/result.js';
import { replayInstances } from '../checker/trace.js';

export type Move = readonly [action: string, shown: Readonly<Record<string, string | boolean | number>>];

/** Set FS_XFLAG_DAX on an open file, map and dirty it, close, unmap (eviction), reopen, read, fork, close. */
export const FLAG_WHILE_OPEN: readonly Move[] = [
  ['Open', { p: 'p1', f: 'f1' }],
  ['SetFlag', { p: 'p1', f: 'f1', v: true }],
  ['Mmap', { p: 'p1', f: 'f1' }],
  ['PageFault', { p: 'p1', f: 'f1', write: true }],
  ['Close', { p: 'p1', f: 'f1' }],
  ['Munmap', { p: 'p1', f: 'f1' }],
  ['Open', { p: 'p1', f: 'f1' }],
  ['Read', { p: 'p1', f: 'f1' }],
  ['Fork', { p: 'p1', q: 'p2' }],
  ['Close', { p: 'p2', f: 'f1' }],
  ['Close', { p: 'p1', f: 'f1' }],
];

/** A dax initial state where f1 is small and has no FS_XFLAG_DAX. */
const smallPlainFile = (s: any) => s.size?.[0] === 'small' && s.xflagDax?.[0] === false;

/** The trace of `moves` under `design`, from the first initial state `start` accepts (dax: f1 small, no FS_XFLAG_DAX). */
export function traceOf(model: ModelDef<any, any>, design: string, moves: readonly Move[], start: (s: any) => boolean = smallPlainFile): { cm: CompiledModel; trace: Trace } {
  const cm = compile(model, design, {});
  const { layout } = cm;
  const next = layout.blank();
  const init = cm.inits.find((i) => {
    next.set(layout.lo);
    if (i.effect(layout.view(next), i.params) === false) return false;
    return start(layout.decode(next));
  })!;
  next.set(layout.lo);
  init.effect(layout.view(next), init.params);
  const cur = layout.blank();
  const path = moves.map(([name, who]) => {
    cur.set(next);
    const inst = cm.instances.find((i) => {
      if (i.name !== name) return false;
      const shown = cm.showParams(i);
      if (!Object.entries(who).every(([k, v]) => shown[k] === v)) return false;
      if (i.guard && !i.guard(layout.view(cur), i.params)) return false;
      next.set(cur);
      return i.effect(layout.view(next), i.params) !== false;
    });
    if (!inst) throw new Error(`${name} ${JSON.stringify(who)} is not enabled under ${design}`);
    next.set(cur);
    inst.effect(layout.view(next), inst.params);
    return inst;
  });
  return { cm, trace: { steps: replayInstances(cm, init, path), variables: layout.slotNames } };
}

/**
 * The passthrough model's I/O modes on one inode, each way in and out: a
 * caching open and its mapping refuse a passthrough open, the mapping keeps
 * the file until munmap; a passthrough file maps its backing file, forks,
 * refuses a caching open, and is released at its last close although both
 * processes still map the backing file; a direct-io file's MAP_PRIVATE
 * mapping splits and faults, and lets a passthrough open in (the landed
 * design; cache-mmap-taint refuses it), after which a page-cache mmap is
 * -ENODEV.
 */
export const PASSTHROUGH_TOUR: readonly Move[] = [
  ['Open', { p: 'p1', flags: 'caching', backing: 1 }],
  ['PageCacheIo', { f: 'file1' }],
  ['Mmap', { p: 'p1', f: 'file1', sharing: 'MAP_SHARED' }],
  ['OpenRefused', { p: 'p1', flags: 'FOPEN_PASSTHROUGH', backing: 1 }],
  ['Close', { p: 'p1', f: 'file1' }],
  ['VmaClose', { v: 'vma1' }],
  ['Open', { p: 'p1', flags: 'FOPEN_PASSTHROUGH', backing: 1 }],
  ['Mmap', { p: 'p1', f: 'file1', sharing: 'MAP_SHARED' }],
  ['PassthroughIo', { f: 'file1' }],
  ['Fork', { p: 'p1', c: 'p2' }],
  ['OpenRefused', { p: 'p2', flags: 'caching', backing: 1 }],
  ['Close', { p: 'p1', f: 'file1' }],
  ['Close', { p: 'p2', f: 'file1' }],
  ['VmaClose', { v: 'vma1' }],
  ['VmaClose', { v: 'vma2' }],
  ['Exit', { p: 'p2' }],
  ['Open', { p: 'p1', flags: 'FOPEN_DIRECT_IO', backing: 1 }],
  ['Mmap', { p: 'p1', f: 'file1', sharing: 'MAP_PRIVATE' }],
  ['Split', { v: 'vma1' }],
  ['Fault', { v: 'vma2' }],
  ['Open', { p: 'p1', flags: 'FOPEN_PASSTHROUGH', backing: 1 }],
  ['MmapRefused', { p: 'p1', f: 'file1', sharing: 'MAP_SHARED' }],
];
