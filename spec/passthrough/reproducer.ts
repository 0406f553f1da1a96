// The passthrough model's steps as a C program (`repro --lang c`, `conform
// passthrough`): the runtime is traces/repro/fuse.c, which mounts a FUSE file
// system of its own and answers each OPEN with the open_flags (and backing id)
// the step names. Model file slots are the program's struct files of the one
// inode (each open(2) of the same path is a new slot); a model VMA is one of
// the acting process's mappings of that kind, which the program finds by kind
// and file, since the model keeps VMAs as values, not identities (vmas.ts).

import type { Plain } from '../../checker/layout.js';
import { indexOf, type CReproducer, type ShownStep } from '../../checker/presentation.js';
import { withDioObservations, withDioSteps } from './dio-reproducer.js';
import { withFopenObservations } from './fopen-observations.js';
import { withNoOpenObservations } from './init-observations.js';
import { passthroughObservations } from './observations.js';
import { ioProcess, openedSlot } from './program.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

const P = (v: unknown) => `P(${indexOf(v as string)})`;
const F = (v: unknown) => `F(${indexOf(v as string)})`;

const REPLY: Readonly<Record<string, string>> = {
  caching: 'REPLY_CACHING', FOPEN_DIRECT_IO: 'REPLY_DIRECT_IO', FOPEN_PASSTHROUGH: 'REPLY_PASSTHROUGH',
  'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO': 'REPLY_PASSTHROUGH_DIRECT_IO', 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE': 'REPLY_PASSTHROUGH_KEEP_CACHE',
  'caching+O_DIRECT': 'REPLY_CACHING_ODIRECT',
  'caching|FOPEN_KEEP_CACHE': 'REPLY_CACHING_KEEP_CACHE', 'FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE': 'REPLY_DIRECT_IO_KEEP_CACHE',
};
const PASSTHROUGH_KINDS = new Set(['FOPEN_PASSTHROUGH', 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO']);
const KIND: Readonly<Record<string, string>> = { MAP_PRIVATE: 'MAP_KIND_PRIVATE', MAP_SHARED: 'MAP_KIND_SHARED', backing_file: 'MAP_KIND_BACKING' };


/** What a mmap of the step's file maps: the backing file for a passthrough file (fuse_passthrough_mmap), else the page cache. */
const mmapKind = (s: Step) => (PASSTHROUGH_KINDS.has(s.before.file[indexOf(s.params.f)]!.kind) ? 'backing_file' : String(s.params.sharing));

/** A step on a VMA: its process, kind and file as the state before the step has them. */
function onVma(fn: string, s: Step): string {
  const x = s.before.vma[indexOf(s.params.v)]!;
  return `${fn}(${P(x.proc)}, ${KIND[x.map]}, ${F(x.file)});`;
}

const open = (s: Step, slot: string) => `open_file(${P(s.params.p)}, ${slot}, ${REPLY[String(s.params.flags)]}, ${Number(s.params.backing)});`;
const mmap = (s: Step) => `mmap_file(${P(s.params.p)}, ${F(s.params.f)}, ${KIND[mmapKind(s)]}, ${s.params.sharing === 'MAP_SHARED' ? 1 : 0}, ${s.action === 'MmapRefused' ? 1 : 0});`;

export const passthroughReproducer: CReproducer<Plain<Schema>> = {
  files: 'file',
  processes: 'p',
  runtime: 'fuse.c',
  defines: (c) => ({
    NBACKINGS: Number(c.backings ?? 1), DIRECT_IO_ALLOW_MMAP: c.directIoAllowMmap === 'false' ? 0 : 1,
    SERVER_NO_OPEN: c.serverOpen === 'ENOSYS' ? 1 : 0,
    PASSTHROUGH_INIT: c.passthroughInit === 'not-offered' ? 1 : c.passthroughInit === 'stack-depth-0' ? 2 : 0,
    BACKING_IOCTL: c.backingIds === 'ioctl' ? 1 : 0,
    PAGE_CACHE_DATA: c.keepCache === 'true' ? 1 : 0,
    DIO_WRITES: Number(c.dioWrites ?? 0), PARALLEL_DIRECT_WRITES: Number(c.dioWrites ?? 0) > 0 && c.parallelDirectWrites !== 'false' ? 1 : 0,
  }),
  // Where the backing files live; the FUSE file system itself is the program's.
  fileSystems: { accepted: ['tmpfs', 'ext4', 'xfs'], byDefault: ['tmpfs'] },
  prints: 'the FUSE requests the server saw (RELEASE, WRITE) and each process\'s mappings of the inode (/proc/self/maps)',
  steps: withDioSteps({
    Open: { c: (s) => open(s, `F(${openedSlot(s)})`) },
    OpenRefused: { c: (s) => open(s, '-1') },
    Close: { c: (s) => `close_file(${P(s.params.p)}, ${F(s.params.f)});` },
    Mmap: { c: mmap },
    MmapRefused: { c: mmap },
    Fork: { c: (s) => `fork_proc(${P(s.params.p)}, ${P(s.params.c)});` },
    Split: { c: (s) => onVma('split_vma', s) },
    VmaClose: { c: (s) => onVma('munmap_vma', s) },
    Fault: { c: (s) => onVma('fault_vma', s) },
    Exit: { c: (s) => `exit_proc(${P(s.params.p)});` },
    // read(2) and write(2) need a descriptor: a struct file only a mapping keeps has none.
    PageCacheIo: { c: (s) => `file_io(P(${ioProcess(s)}), ${F(s.params.f)});`, can: (s) => ioProcess(s) >= 0 },
    PassthroughIo: { c: (s) => `file_io(P(${ioProcess(s)}), ${F(s.params.f)});`, can: (s) => ioProcess(s) >= 0 },
    DirectIo: { c: (s) => `file_io(P(${ioProcess(s)}), ${F(s.params.f)});`, can: (s) => ioProcess(s) >= 0 },
    ServerChangesData: { c: () => 'server_changes();' },
    BackingOpen: { c: (s) => `backing_open(${Number(s.params.id)}, 0);` },
    BackingOpenRefused: { c: (s) => `backing_open(${Number(s.params.id)}, 1);` },
    BackingClose: { c: (s) => `backing_close(${Number(s.params.id)}, 0);` },
    BackingCloseRefused: { c: (s) => `backing_close(${Number(s.params.id)}, 1);` },
  }),
  mountHint: (_design, c) => [
    'an empty directory, as root, on a 6.9+ kernel with CONFIG_FUSE_PASSTHROUGH: the program mounts its own',
    `FUSE file system on DIR/mnt (FUSE_PASSTHROUGH${c.directIoAllowMmap === 'false' ? '' : ', FUSE_DIRECT_IO_ALLOW_MMAP'}) and keeps the backing file(s) in DIR.`,
  ],
  observations: withNoOpenObservations(withDioObservations(withFopenObservations(passthroughObservations))),
};
