// What a user program does for each step of the per-file DAX model, both
// flavours (ext4/xfs and virtiofs), in the kernel's words: show, check, replay
// and the trace page print these next to each step's label. What the kernel
// decides in a step (the lookup an open does, what statx reports, whether the
// last reference evicts the inode) is not something the program asks for, so
// it is read from the states before and after the step and said in words.

import type { Plain } from '../../checker/layout.js';
import { indexOf, isShownTrue as yes, type Presentation, type ShownStep } from '../../checker/presentation.js';
import { daxReproducer } from './reproducer.js';
import type { Schema } from './state.js';
import { treeWords } from './tree-repro.js';
import { mountWords } from './mount-repro.js';

type Step = ShownStep<Plain<Schema>>;

/**
 * The step left the file's inode out of memory. Every action that can evict
 * needs the inode in memory (Close and Munmap hold a reference, Statx looks
 * the file up), so an inode not cached afterwards was evicted by the step.
 */
const evicts = (s: Step) => s.after.inode[indexOf(s.params.f)] !== 'cached';
const lastReference = (s: Step) => (evicts(s) ? `; the last reference: ${s.params.f}'s inode is evicted` : '');

export const daxPresentation: Presentation<Plain<Schema>> = {
  words: {
    Open: (s) => `${s.params.p}: fd = open("${s.params.f}", ${yes(s.params.ro) ? 'O_RDONLY' : 'O_RDWR'})`,
    Close: (s) => `${s.params.p}: close(fd of ${s.params.f})${lastReference(s)}`,
    Mmap: (s) => `${s.params.p}: mmap(fd of ${s.params.f}, PROT_READ[|PROT_WRITE], MAP_SHARED)`,
    Munmap: (s) => `${s.params.p}: munmap(mapping of ${s.params.f})${lastReference(s)}`,
    PageFault: (s) => `${s.params.p}: page fault: ${yes(s.params.write) ? 'store to' : 'load from'} ${s.params.f}'s mapping`,
    Load: (s) => `${s.params.p}: load from ${s.params.f}'s mapping (the PTE is there: no fault)`,
    Store: (s) => `${s.params.p}: store to ${s.params.f}'s mapping (the PTE is writable: no fault)`,
    Read: (s) => `${s.params.p}: pread(fd of ${s.params.f}, 1 byte at 0)`,
    Write: (s) => `${s.params.p}: pwrite(fd of ${s.params.f}, 1 byte at 0)${yes(s.params.extend) ? ', then 1 byte past 32 KiB' : ''}`,
    Writeback: (s) => `kernel: writeback of ${s.params.f}'s dirty pages (forced here with sync(2), which writes back every file)`,
    SetFlag: (s) => `${s.params.p}: ioctl(fd of ${s.params.f}, FS_IOC_FSSETXATTR, ${yes(s.params.v) ? 'set' : 'clear'} FS_XFLAG_DAX`
      + `${yes(s.params.rt) ? ', set FS_XFLAG_REALTIME' : ''}${yes(s.params.projid) ? ', fsx_projid = 1' : ''})`,
    // cut=locks: the second half of the same ioctl call, and the filesystem's half of a fault the mm has started.
    SetFlagFlip: (s) => `kernel, in ${s.params.p}'s ioctl: write back, invalidate, flip S_DAX of ${s.params.f}, drop the locks`,
    WriteData: (s) => `kernel, in ${s.params.p}'s pwrite: i_rwsem taken, the byte copied on the path chosen before`,
    FaultHandler: (s) => `kernel, in ${s.params.p}'s fault: the ${s.before.fault[indexOf(s.params.p)]?.[indexOf(s.params.f)] ?? 'mkwrite'} handler of ${s.params.f} runs`,
    Fork: (s) => `${s.params.p}: fork() -> ${s.params.q}`,
    Exit: (s) => `${s.params.p}: exit()`,
    // STATX_ATTR_DAX is IS_DAX after the walk; an eviction at the walk's dput keeps S_DAX (state.ts).
    Statx: (s) => `statx("${s.params.f}") by path, which reports STATX_ATTR_DAX=${s.after.sDax[indexOf(s.params.f)] ? 1 : 0}` +
      `${evicts(s) ? `; its dput was the last reference: ${s.params.f}'s inode is evicted` : ''}`,
    Timeout: (s) => `time passes: ${s.params.f}'s entry and attribute timeouts expire`,
    DropCaches: (s) => `kernel: reclaim evicts ${s.params.f}'s unused inode`,
    RangeReclaim: (s) => `kernel: the DAX free-range worker takes ${s.params.f}'s window range back (its DAX mappings are unmapped)`,
    // fileChunks=two / setupMapping=may-fail (spec/dax/actions/dax-window.ts).
    ChunkFault: (s) => `${s.params.p}: page fault: load from ${s.params.f}'s mapping 2 MiB in (its second chunk)`,
    ChunkIo: (s) => `${s.params.p}: pread or pwrite(fd of ${s.params.f}, 1 byte 2 MiB in: its second chunk)`,
    FaultSigbus: (s) => `${s.params.p}: page fault: ${yes(s.params.write) ? 'store to' : 'load from'} ${s.params.f}'s mapping; the server refuses FUSE_SETUPMAPPING and ${s.params.p} dies of SIGBUS`,
    ...treeWords,
    ...mountWords,
  },
  lanes: 'f',
  // The VMA's mode and the PTE's target (state.ts).
  modes: [
    { name: 'DAX', values: ['dax', 'dax-ro', 'dax-rw'] },
    { name: 'page cache', values: ['pagecache', 'pagecache-ro', 'pagecache-rw'] },
  ],
  c: daxReproducer,
};
