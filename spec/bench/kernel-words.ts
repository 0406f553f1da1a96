// What a user program does for each step of DaxModes(F, P): the kernel words
// that show, check and replay print, and the C reproducer's statements, which
// call the runtime of traces/repro/runtime.c (run(P, OP_..., F, arg)).
// Processes and files are 0-based there, as the model stores them.

import { indexOf, isShownTrue, type Presentation, type ShownStep } from '../../checker/presentation.js';

/** The part of the state the reproducer reads: each file's FS_XFLAG_DAX at the start. */
interface Read { readonly pflag: readonly boolean[] }
type Step = ShownStep<Read>;

const P = (s: Step) => `P(${indexOf(s.params.p)})`;
const F = (s: Step) => `F(${indexOf(s.params.f)})`;
const flag = (s: Step) => isShownTrue(s.params.v);

export const benchPresentation: Presentation<Read> = {
  words: {
    Open: (s) => `${s.params.p}: fd = open("${s.params.f}", O_RDWR)`,
    Close: (s) => `${s.params.p}: close(fd of ${s.params.f})`,
    Mmap: (s) => `${s.params.p}: mmap(fd of ${s.params.f}, PROT_READ|PROT_WRITE, MAP_SHARED)`,
    Munmap: (s) => `${s.params.p}: munmap(mapping of ${s.params.f})`,
    Fault: (s) => `${s.params.p}: page fault: load from ${s.params.f}'s mapping`,
    SetFlag: (s) => `${s.params.p}: ioctl(fd of ${s.params.f}, FS_IOC_FSSETXATTR, ${flag(s) ? 'set' : 'clear'} FS_XFLAG_DAX)`,
    Evict: (s) => `kernel: evict ${s.params.f}'s inode`,
  },
  lanes: 'f',
  // A process's mapping of a file (Vma).
  modes: [{ name: 'DAX', values: ['DAX'] }, { name: 'page cache', values: ['PC'] }],
  c: {
    files: 'f',
    processes: 'p',
    steps: {
      Open: { c: (s) => `run(${P(s)}, OP_OPEN, ${F(s)}, O_RDWR);` },
      Close: { c: (s) => `run(${P(s)}, OP_CLOSE, ${F(s)}, 0);` },
      Mmap: { c: (s) => `run(${P(s)}, OP_MMAP, ${F(s)}, PROT_READ | PROT_WRITE);` },
      Munmap: { c: (s) => `run(${P(s)}, OP_MUNMAP, ${F(s)}, 0);` },
      Fault: { c: (s) => `run(${P(s)}, OP_FAULT_READ, ${F(s)}, 0);` },
      SetFlag: { c: (s) => `run(${P(s)}, OP_SETFLAG, ${F(s)}, ${flag(s) ? 1 : 0});` },
      Evict: {
        manual: (s) => ({
          why: `the kernel evicts ${s.params.f}'s unused inode by itself (memory pressure, or I_DONTCACHE at the last reference); no system call names one inode`,
          shell: 'sync; echo 2 > /proc/sys/vm/drop_caches',
        }),
      },
    },
    // The bench model has no file size; one page, so that a fault finds data.
    fileSetup: (s0, f) => ({ daxFlag: s0.pflag[f] === true, size: 4096, note: `pflag = ${s0.pflag[f] === true}, one page of data` }),
    mountHint: () => ['ext4 or xfs on a pmem device (or memmap= emulated pmem), mounted with -o dax=inode.'],
  },
};
