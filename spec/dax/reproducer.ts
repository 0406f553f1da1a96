// The DAX model's steps as a C program (`repro --lang c`): the statements that
// perform each action with the real system calls, through the runtime of
// traces/repro/runtime.c (run(P, OP_..., F, arg), lookup_path, fork_proc, ...;
// processes and files 0-based, as the model stores them), how each file is
// created from the initial state, and which mount the design assumes.
// Parameters that only name what the kernel decides are not arguments: the
// program opens or stats by path and prints what it got.

import type { Plain } from '../../checker/layout.js';
import { indexOf, isShownTrue as yes, type CReproducer, type ShownStep } from '../../checker/presentation.js';
import { daxObservations } from './observations.js';
import type { Schema } from './state.js';
import { treeSetup, treeSteps, withTreeObservations } from './tree-repro.js';
import { mountSteps, withMountObservations } from './mount-repro.js';

type Step = ShownStep<Plain<Schema>>;

const P = (s: Step, k = 'p') => `P(${indexOf(s.params[k])})`;
const F = (s: Step) => `F(${indexOf(s.params.f)})`;

/** The unfit constant's values in the order the runtime's UNFIT numbers them (traces/repro/runtime.c). */
const UNFIT = ['none', 'journal-data', 'inline-data', 'encrypted', 'verity', 'reflink'];

/** How the filesystem must be made for the unfit and device constants (conform/vm/init reads these words). */
const PREP: Readonly<Record<string, string>> = {
  'inline-data': 'mkfs.ext4 -O inline_data', encrypted: 'mkfs.ext4 -O encrypt (the program sets an fscrypt v2 policy on DIR)',
  verity: 'mkfs.ext4 -O verity', 'journal-data': 'each file gets chattr +j', reflink: 'each file is FICLONEd into a sibling',
  nodax: 'a device without DAX (a raw-mode pmem namespace)', blocksize: 'mkfs with a 1024-byte block (ext4 -b 1024, xfs -b size=1024)',
};

/** Bytes of each size class: empty, one page, past virtiofs's 32 KiB threshold. */
const SIZES: Readonly<Record<string, number>> = { empty: 0, small: 4096, big: 65536 };

export const daxReproducer: CReproducer<Plain<Schema>> = {
  files: 'f',
  processes: 'p',
  steps: {
    Open: { c: (s) => `run(${P(s)}, OP_OPEN, ${F(s)}, ${yes(s.params.ro) ? 'O_RDONLY' : 'O_RDWR'});` },
    Close: { c: (s) => `run(${P(s)}, OP_CLOSE, ${F(s)}, 0);` },
    Mmap: { c: (s) => `run(${P(s)}, OP_MMAP, ${F(s)}, 0);` },
    Munmap: { c: (s) => `run(${P(s)}, OP_MUNMAP, ${F(s)}, 0);` },
    PageFault: {
      c: (s) => (yes(s.params.write) ? `run(${P(s)}, OP_FAULT_WRITE, ${F(s)}, next_version(${F(s)}));` : `run(${P(s)}, OP_FAULT_READ, ${F(s)}, 0);`),
    },
    Load: { c: (s) => `run(${P(s)}, OP_LOAD, ${F(s)}, 0);` },
    Store: { c: (s) => `run(${P(s)}, OP_STORE, ${F(s)}, next_version(${F(s)}));` },
    Read: { c: (s) => `run(${P(s)}, OP_READ, ${F(s)}, 0);` },
    Write: { c: (s) => `run(${P(s)}, OP_WRITE, ${F(s)}, next_version(${F(s)})${yes(s.params.extend) ? ' | WRITE_EXTEND' : ''});` },
    Writeback: { c: (s) => `writeback(${F(s)});` },
    // flagRequest=plus-refused (spec/dax/request-errors.ts): SETFLAG_REALTIME / SETFLAG_PROJID add the refused attribute.
    SetFlag: { c: (s) => `run(${P(s)}, OP_SETFLAG, ${F(s)}, ${yes(s.params.v) ? 1 : 0}${yes(s.params.rt) ? ' | SETFLAG_REALTIME' : ''}${yes(s.params.projid) ? ' | SETFLAG_PROJID' : ''});` },
    // cut=locks only (designs that flip S_DAX live, none of which is in a kernel one can run): the kernel's own
    // halves of an ioctl and of a fault. A program cannot stop the kernel between the halves, only race it.
    SetFlagFlip: {
      manual: (s) => ({
        why: `the second half of ${s.params.p}'s FS_IOC_FSSETXATTR: a program cannot pause the ioctl between its check and its flip`,
        shell: '# race it: run the steps in between from another thread in a loop while the ioctl runs',
      }),
    },
    WriteData: {
      manual: (s) => ({
        why: `the second half of ${s.params.p}'s pwrite: a program cannot pause a write between its IS_DAX test and its inode lock`,
        shell: '# race it: toggle the flag from another thread in a loop while this thread writes',
      }),
    },
    FaultHandler: {
      manual: (s) => ({
        why: `the filesystem's half of ${s.params.p}'s write fault: a program cannot pause a fault between the mm's choice of handler and the handler`,
        shell: '# race it: toggle the flag from another thread in a loop while this thread stores to the mapping',
      }),
    },
    Fork: { c: (s) => `fork_proc(${P(s)}, ${P(s, 'q')});` },
    Exit: { c: (s) => `exit_proc(${P(s)});` },
    Statx: { c: (s) => `lookup_path(${F(s)});` },
    Timeout: { c: () => 'wait_timeout();' },
    DropCaches: {
      manual: (s) => ({
        why: `reclaim (memory pressure) evicts ${s.params.f}'s unused inode; no system call names one inode`,
        // One `echo 2` often evicts nothing (inodes with page cache stay); three rounds of `echo 3` do,
        // except a DAX inode faulted through a mapping (6.12, ext4 and xfs; README "Conformance").
        shell: 'sync; for i in 1 2 3; do echo 3 > /proc/sys/vm/drop_caches; done',
      }),
      // The `sync` writes back every dirty file first, so another file's clean, unused inode goes too.
      completes: ['Writeback'],
    },
    RangeReclaim: {
      manual: (s) => ({
        why: `the virtiofs DAX free-range worker (fuse_dax_free_mem_worker) reclaims ${s.params.f}'s range on its own; no system call starts it`,
        shell: '# a window of one 2 MiB range (cache-size=2M): a DAX access to another file kicks the worker',
      }),
    },
    // virtiofs window steps, model-only (no DAX window in the VM): what a program would do, by hand.
    ChunkFault: {
      manual: (s) => ({
        why: `a fault 2 MiB into ${s.params.f}'s mapping (the second 2 MiB chunk, another window range); the programs touch byte 0 only`,
        shell: '# map the file over 2 MiB and load from offset 2 MiB',
      }),
    },
    ChunkIo: {
      manual: (s) => ({
        why: `a pread or pwrite 2 MiB into ${s.params.f} (its second chunk); the programs touch byte 0 only`,
        shell: '# pread(fd, buf, 1, 2 << 20)',
      }),
    },
    FaultSigbus: {
      manual: (s) => ({
        why: `virtiofsd must answer ${s.params.f}'s FUSE_SETUPMAPPING with an error; no program can make it`,
        shell: '# a virtiofsd patched to fail FUSE_SETUPMAPPING (e.g. -EIO); the faulting process dies of SIGBUS',
      }),
    },
    ...treeSteps,
    ...mountSteps,
  },
  // The initial state says each file's FS_XFLAG_DAX and size.
  fileSetup: (s0, f) => {
    // dirs >= 1 (spec/dax/tree.ts): every file is created by a step.
    if ('exists' in s0) return { daxFlag: false, size: 0, note: 'created by a step of the trace', absent: true };
    const size = s0.size[f] ?? 'small';
    const flag = s0.xflagDax[f] === true;
    return { daxFlag: flag, size: SIZES[size] ?? 4096, note: `FS_XFLAG_DAX = ${flag ? 1 : 0}, size ${size}` };
  },
  setup: treeSetup,
  defines: (constants) => ({ NDIRS: Number(constants.dirs ?? 0), UNFIT: Math.max(0, UNFIT.indexOf(String(constants.unfit ?? 'none'))) }),
  // conform/vm/init makes the file systems for device= and unfit= (mkfs options, a raw namespace); an ext4
  // attribute needs ext4, reflink xfs (spec/dax/exclusions.ts).
  machine: (constants) => {
    const unfit = String(constants.unfit ?? 'none');
    const device = String(constants.device ?? 'dax');
    const prep = [...(device !== 'dax' ? [`device=${device}`] : []), ...(unfit !== 'none' ? [`unfit=${unfit}`] : [])];
    const fileSystems = unfit === 'none' ? undefined : unfit === 'reflink' ? ['xfs'] : ['ext4'];
    return { prep, ...(fileSystems ? { fileSystems } : {}) };
  },
  mountHint: (design, constants) => {
    const mode = typeof constants.mount === 'string' ? constants.mount : 'inode';
    if (design.startsWith('virtiofs')) {
      return [
        `virtiofs with a DAX window, mounted with -o dax=${mode}; virtiofsd started with`,
        `--cache=${constants.cache ?? 'auto'} and a per-file DAX policy${constants.policy ? ` (the model's policy: ${constants.policy})` : ''}.`,
      ];
    }
    const prep = [constants.unfit, constants.device].map((v) => PREP[String(v)]).filter(Boolean);
    return [`ext4 or xfs on a pmem device (or memmap= emulated pmem), mounted with -o dax=${mode}.`, ...(prep.length ? [`Made unfit: ${prep.join('; ')}.`] : [])];
  },
  observations: withMountObservations(withTreeObservations(daxObservations)),
};
