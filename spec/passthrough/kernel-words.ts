// What a user program (and the FUSE server answering it) does for each step of
// the passthrough model, in the kernel's words: show, check, replay and the
// trace page print these next to each step's label. What the kernel decides
// in a step (the slot a new struct file or process takes, what a refused call
// returns, whether the last reference released the file) is read from the
// states before and after the step. The C reproducer (reproducer.ts) brings
// its own FUSE server, which answers OPEN with the open_flags a step names.

import type { Plain } from '../../checker/layout.js';
import { indexOf, type Presentation, type ShownStep } from '../../checker/presentation.js';
import { dioWords } from './dio-reproducer.js';
import { passthroughReproducer } from './reproducer.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

/** What the server's OPEN reply says, in fuse_open_out's terms. */
const reply = (s: Step) => {
  const flags = String(s.params.flags);
  return flags === 'caching' ? 'open_flags without FOPEN_DIRECT_IO or FOPEN_PASSTHROUGH'
    : flags === 'caching+O_DIRECT' ? 'open_flags without FOPEN_DIRECT_IO or FOPEN_PASSTHROUGH to an open(2) with O_DIRECT'
      : flags.startsWith('FOPEN_PASSTHROUGH') ? `open_flags=${flags}, backing_id=${s.params.backing}` : `open_flags=${flags}`;
};

const oDirect = (s: Step) => (String(s.params.flags) === 'caching+O_DIRECT' ? ', O_RDWR|O_DIRECT' : '');

/** What a refused call did, from the errno the step recorded. */
const outcome = (s: Step) => (s.after.refused.errno === 'HANG' ? 'sleeps in wait_event(fi->direct_io_waitq)' : `returns -${s.after.refused.errno}`);

/** The entry of an index set that changed from `was` to something else in the step: the new file, the new process. */
function taken<T>(before: readonly T[], after: readonly T[], was: (x: T) => boolean): number {
  return after.findIndex((x, i) => was(before[i]!) && !was(x));
}

/** The struct file `f` went away in the step: its last reference was dropped and fuse_release ran. */
const released = (s: Step, f: number) => s.before.file[f]!.kind !== 'free' && s.after.file[f]!.kind === 'free';
const releaseWords = (s: Step, f: number) => (released(s, f) ? `; the last reference: fuse_release of file${f + 1}` : '');

/** The VMA a step acts on, as it was before the step. */
const vmaOf = (s: Step) => s.before.vma[indexOf(s.params.v)]!;

export const passthroughPresentation: Presentation<Plain<Schema>> = {
  words: {
    Open: (s) => {
      const f = taken(s.before.file, s.after.file, (x) => x.kind === 'free');
      return `${s.params.p}: fd = open(the file${oDirect(s)}); the server replies ${reply(s)}: a new struct file, file${f + 1}`;
    },
    OpenRefused: (s) => `${s.params.p}: open(the file${oDirect(s)}); the server replies ${reply(s)}; fuse_file_io_open refuses it: open ${outcome(s)}`,
    Close: (s) => `${s.params.p}: close(fd of ${s.params.f})${releaseWords(s, indexOf(s.params.f))}`,
    Mmap: (s) => {
      const backing = s.before.file[indexOf(s.params.f)]!.kind.startsWith('FOPEN_PASSTHROUGH');
      return `${s.params.p}: mmap(fd of ${s.params.f}, ${s.params.sharing})${backing ? ', which maps the backing file' : ''}`;
    },
    MmapRefused: (s) => `${s.params.p}: mmap(fd of ${s.params.f}, ${s.params.sharing}) ${outcome(s)}`,
    Fork: (s) => `${s.params.p}: fork() -> p${taken(s.before.alive, s.after.alive, (x) => !x) + 1}`,
    Split: (s) => `${vmaOf(s).proc}: mprotect(part of ${s.params.v}): __split_vma copies it`,
    VmaClose: (s) => {
      const x = vmaOf(s);
      const f = indexOf(x.file);
      return x.map === 'backing_file' ? `${x.proc}: munmap(${s.params.v}, a mapping of the backing file)` : `${x.proc}: munmap(${s.params.v}, ${x.map} of ${x.file})${releaseWords(s, f)}`;
    },
    Exit: (s) => `${s.params.p}: exit()`,
    PageCacheIo: (s) => `read(2) or write(2) on ${s.params.f}: through the inode's page cache`,
    PassthroughIo: (s) => `read(2) or write(2) on ${s.params.f}: passed through to the backing file`,
    Fault: (s) => `${vmaOf(s).proc}: page fault on ${s.params.v} (${vmaOf(s).map} of ${vmaOf(s).file}): filemap_fault`,
    DirectIo: (s) => `read(2) or write(2) on ${s.params.f}: to the server (FUSE_READ / FUSE_WRITE of the user's bytes), past the page cache and any backing file`,
    ServerChangesData: () => 'the server\'s data changes (another client, or a write to the file it serves from) and the kernel is not told: the cached page is stale',
    BackingOpen: (s) => `the server: ioctl(/dev/fuse, FUSE_DEV_IOC_BACKING_OPEN, backing file ${s.params.id}) = ${s.params.id}`,
    BackingOpenRefused: (s) => `the server: ioctl(/dev/fuse, FUSE_DEV_IOC_BACKING_OPEN) ${outcome(s)}`,
    BackingClose: (s) => `the server: ioctl(/dev/fuse, FUSE_DEV_IOC_BACKING_CLOSE, ${s.params.id}) = 0; open files keep their backing file`,
    BackingCloseRefused: (s) => `the server: ioctl(/dev/fuse, FUSE_DEV_IOC_BACKING_CLOSE, ${s.params.id}) ${outcome(s)}`,
    ...dioWords,
  },
  lanes: 'file',
  c: passthroughReproducer,
};
