// What a program in the guest (and the virtiofs server answering it) does for
// each step of the virtiofs-modes model, in the kernel's words: show, check,
// replay and the trace page print these beside each label. What the kernel
// decided (an eviction, the route a read took) is read from the states. No C
// part: the DAX window cannot be run here (README, the virtiofs-modes model).

import type { Plain } from '../../checker/layout.js';
import { indexOf, isShownTrue, type Presentation, type ShownStep } from '../../checker/presentation.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

const evicted = (s: Step) => (s.before.inode.cached && !s.after.inode.cached ? '; the last reference evicts the inode' : '');
const reply = (s: Step) => (s.params.flags === 'caching' ? 'open_flags without FOPEN_DIRECT_IO or FOPEN_PASSTHROUGH'
  : s.params.flags === 'FOPEN_PASSTHROUGH' ? 'open_flags=FOPEN_PASSTHROUGH, backing_id=1' : `open_flags=${s.params.flags}`);
const vmaOf = (s: Step) => s.before.vma[indexOf(s.params.v)]!;

export const virtiofsModesPresentation: Presentation<Plain<Schema>> = {
  words: {
    ServerDax: (s) => `server: from now on its attributes for the file carry ${isShownTrue(s.params.v) ? '' : 'no '}FUSE_ATTR_DAX`,
    Lookup: (s) => (s.before.inode.cached
      ? `statx("file") after the attributes expired: FUSE_GETATTR, fuse_change_attributes${evicted(s)}`
      : 'statx("file"): FUSE_LOOKUP, fuse_iget makes the inode'),
    Open: (s) => `fd = open("file", O_RDWR); the server replies ${reply(s)}: a new struct file, ${s.params.f}`,
    OpenRefused: (s) => `open("file", O_RDWR); the server replies ${reply(s)}; fuse_file_io_open refuses it: open returns -${s.after.refused.errno}`,
    Close: (s) => `close(fd of ${s.params.f})${s.after.file[indexOf(s.params.f)]!.kind === 'free' ? `; the last reference: fuse_release of ${s.params.f}` : ''}${evicted(s)}`,
    Mmap: (s) => `mmap(fd of ${s.params.f}, PROT_READ|PROT_WRITE, MAP_SHARED): ${s.after.vma[indexOf(s.params.to)]!.map === 'dax' ? 'fuse_dax_mmap' : s.after.vma[indexOf(s.params.to)]!.map === 'backing_file' ? 'fuse_passthrough_mmap maps the backing file' : 'fuse_file_vm_ops'}`,
    MmapRefused: (s) => `mmap(fd of ${s.params.f}, MAP_SHARED) returns -${s.after.refused.errno}`,
    Munmap: (s) => `munmap(${s.params.v}, a ${vmaOf(s).map} mapping)${evicted(s)}`,
    Read: (s) => `read(fd of ${s.params.f})`,
    Write: (s) => `write(fd of ${s.params.f})`,
    Load: (s) => `load from ${s.params.v} (${vmaOf(s).map})`,
    Store: (s) => `store to ${s.params.v} (${vmaOf(s).map})`,
    Reclaim: () => 'kernel: memory pressure or drop_caches evicts the unused inode',
  },
  lanes: 'file',
  modes: [{ name: 'DAX', values: ['dax'] }, { name: 'page cache', values: ['page_cache'] }, { name: 'backing file', values: ['backing_file'] }],
};
