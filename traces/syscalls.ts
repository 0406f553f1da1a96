// From a model's action to what a user program does for it: one table per
// model, keyed by action name. explain.ts prints `words` next to each step;
// repro-c.ts emits `c`, or, for a step no program can perform (eviction, a
// server-side change), a comment and the `manual` equivalent.
//
// The C side calls the helpers of repro-c.ts's runtime (run(P, OP_..., F, arg),
// manual(...)); process and file indices are 0-based, as the model stores them.

import type { ShownParam } from '../checker/compile.js';
import { UsageError } from '../checker/errors.js';

export type Shown = Readonly<Record<string, ShownParam>>;

export interface SyscallStep {
  /** What a program does for this step, in the kernel's words. */
  readonly words: (a: Shown) => string;
  /** C statements performing it (repro-c runtime calls); absent for a manual step. */
  readonly c?: (a: Shown) => string;
  /** For a step no user program can perform: how to make it happen by hand. */
  readonly manual?: (a: Shown) => { readonly why: string; readonly shell: string };
}

/** `p2` -> 1, `f1` -> 0: the runtime's 0-based index. */
const ix = (v: ShownParam | undefined): number => {
  const m = /(\d+)$/.exec(String(v));
  if (!m) throw new UsageError(`expected a process or file like p1 or f2, got ${JSON.stringify(v)}`);
  return Number(m[1]) - 1;
};
const P = (a: Shown, k = 'p') => `P(${ix(a[k])})`;
const F = (a: Shown, k = 'f') => `F(${ix(a[k])})`;
const flagOn = (v: ShownParam | undefined) => v === true || v === 1 || v === 'true' || v === '1';
const evictByHand = (f: ShownParam | undefined) => ({
  why: `the kernel evicts ${f}'s unused inode by itself (memory pressure, or I_DONTCACHE at the last reference); no system call names one inode`,
  shell: 'sync; echo 2 > /proc/sys/vm/drop_caches',
});

/** The bench model (spec/bench): DaxModes(F, P). */
const bench: Record<string, SyscallStep> = {
  Open: {
    words: (a) => `${a.p}: fd = open("${a.f}", O_RDWR)`,
    c: (a) => `run(${P(a)}, OP_OPEN, ${F(a)}, O_RDWR);`,
  },
  Close: {
    words: (a) => `${a.p}: close(fd of ${a.f})`,
    c: (a) => `run(${P(a)}, OP_CLOSE, ${F(a)}, 0);`,
  },
  Mmap: {
    words: (a) => `${a.p}: mmap(fd of ${a.f}, PROT_READ|PROT_WRITE, MAP_SHARED)`,
    c: (a) => `run(${P(a)}, OP_MMAP, ${F(a)}, PROT_READ | PROT_WRITE);`,
  },
  Munmap: {
    words: (a) => `${a.p}: munmap(mapping of ${a.f})`,
    c: (a) => `run(${P(a)}, OP_MUNMAP, ${F(a)}, 0);`,
  },
  Fault: {
    words: (a) => `${a.p}: page fault: load from ${a.f}'s mapping`,
    c: (a) => `run(${P(a)}, OP_FAULT_READ, ${F(a)}, 0);`,
  },
  SetFlag: {
    words: (a) => `${a.p}: ioctl(fd of ${a.f}, FS_IOC_FSSETXATTR, ${flagOn(a.v) ? 'set' : 'clear'} FS_XFLAG_DAX)`,
    c: (a) => `run(${P(a)}, OP_SETFLAG, ${F(a)}, ${flagOn(a.v) ? 1 : 0});`,
  },
  Evict: {
    words: (a) => `kernel: evict ${a.f}'s inode`,
    manual: (a) => evictByHand(a.f),
  },
};

/**
 * The per-file DAX model (spec/dax), both flavours: ext4/xfs and virtiofs.
 * What the kernel decides (the lookup, what statx reports, an eviction) is not
 * a parameter: the step's label reads it from the states, and the program
 * just opens or stats by path and prints what it got.
 */
const yes = (v: ShownParam | undefined) => flagOn(v);
const dax: Record<string, SyscallStep> = {
  Open: {
    words: (a) => `${a.p}: fd = open("${a.f}", ${yes(a.ro) ? 'O_RDONLY' : 'O_RDWR'})`,
    c: (a) => `run(${P(a)}, OP_OPEN, ${F(a)}, ${yes(a.ro) ? 'O_RDONLY' : 'O_RDWR'});`,
  },
  Close: {
    words: (a) => `${a.p}: close(fd of ${a.f})`,
    c: (a) => `run(${P(a)}, OP_CLOSE, ${F(a)}, 0);`,
  },
  Mmap: {
    words: (a) => `${a.p}: mmap(fd of ${a.f}, PROT_READ[|PROT_WRITE], MAP_SHARED)`,
    c: (a) => `run(${P(a)}, OP_MMAP, ${F(a)}, 0);`,
  },
  Munmap: {
    words: (a) => `${a.p}: munmap(mapping of ${a.f})`,
    c: (a) => `run(${P(a)}, OP_MUNMAP, ${F(a)}, 0);`,
  },
  PageFault: {
    words: (a) => `${a.p}: page fault: ${yes(a.write) ? 'store to' : 'load from'} ${a.f}'s mapping`,
    c: (a) => (yes(a.write) ? `run(${P(a)}, OP_FAULT_WRITE, ${F(a)}, next_version());` : `run(${P(a)}, OP_FAULT_READ, ${F(a)}, 0);`),
  },
  Load: {
    words: (a) => `${a.p}: load from ${a.f}'s mapping (the PTE is there: no fault)`,
    c: (a) => `run(${P(a)}, OP_LOAD, ${F(a)}, 0);`,
  },
  Store: {
    words: (a) => `${a.p}: store to ${a.f}'s mapping (the PTE is writable: no fault)`,
    c: (a) => `run(${P(a)}, OP_STORE, ${F(a)}, next_version());`,
  },
  Read: {
    words: (a) => `${a.p}: pread(fd of ${a.f}, 1 byte at 0)`,
    c: (a) => `run(${P(a)}, OP_READ, ${F(a)}, 0);`,
  },
  Write: {
    words: (a) => `${a.p}: pwrite(fd of ${a.f}, 1 byte at 0)${yes(a.extend) ? ', then 1 byte past 32 KiB' : ''}`,
    c: (a) => `run(${P(a)}, OP_WRITE, ${F(a)}, next_version()${yes(a.extend) ? ' | WRITE_EXTEND' : ''});`,
  },
  Writeback: {
    words: (a) => `kernel: writeback of ${a.f}'s dirty pages (forced here with sync(2), which writes back every file)`,
    c: (a) => `writeback(${F(a)});`,
  },
  SetFlag: {
    words: (a) => `${a.p}: ioctl(fd of ${a.f}, FS_IOC_FSSETXATTR, ${yes(a.v) ? 'set' : 'clear'} FS_XFLAG_DAX)`,
    c: (a) => `run(${P(a)}, OP_SETFLAG, ${F(a)}, ${yes(a.v) ? 1 : 0});`,
  },
  Fork: {
    words: (a) => `${a.p}: fork() -> ${a.q}`,
    c: (a) => `fork_proc(${P(a)}, ${P(a, 'q')});`,
  },
  Exit: {
    words: (a) => `${a.p}: exit()`,
    c: (a) => `exit_proc(${P(a)});`,
  },
  Statx: {
    words: (a) => `statx("${a.f}") by path, which reports STATX_ATTR_DAX`,
    c: (a) => `lookup_path(${F(a)});`,
  },
  Timeout: {
    words: (a) => `time passes: ${a.f}'s entry and attribute timeouts expire`,
    c: () => 'wait_timeout();',
  },
  DropCaches: {
    words: (a) => `kernel: reclaim evicts ${a.f}'s unused inode`,
    manual: (a) => ({
      why: `reclaim (memory pressure) evicts ${a.f}'s unused inode; no system call names one inode`,
      shell: 'sync; echo 2 > /proc/sys/vm/drop_caches',
    }),
  },
};

export const syscallTables: Readonly<Record<string, Readonly<Record<string, SyscallStep>>>> = { bench, dax };

/** The entry for an action, or a clear error naming what the table knows. */
export function syscallFor(model: string, action: string): SyscallStep {
  const table = syscallTables[model];
  if (!table) {
    throw new UsageError(`no system-call table for model '${model}'; reproducers exist for: ${Object.keys(syscallTables).join(', ')}`);
  }
  const step = table[action];
  if (!step) {
    throw new UsageError(`model ${model}: action '${action}' has no system-call mapping; mapped actions are: ${Object.keys(table).join(', ')} (add it to traces/syscalls.ts)`);
  }
  return step;
}

/** Kernel words for a step, when the model's table has its action; never throws. */
export function kernelWords(model: string, action: string, params: Shown): string | undefined {
  const step = syscallTables[model]?.[action];
  if (!step) return undefined;
  try {
    return step.words(params);
  } catch {
    return undefined;
  }
}

/** How the reproducer creates each file before step 1, from the trace's initial state. */
export interface FileSetup { readonly daxFlag: boolean; readonly size: number; readonly note: string }

type SetupFn = (state0: unknown, f: number) => FileSetup;
const flagAt = (state0: unknown, f: number): boolean => (state0 as { pflag?: unknown[] }).pflag?.[f] === true;

const SIZES: Readonly<Record<string, number>> = { empty: 0, small: 4096, big: 65536 };

const fileSetups: Readonly<Record<string, SetupFn>> = {
  // The DAX model's initial state says each file's FS_XFLAG_DAX and size (empty, small, or past virtiofs's 32 KiB).
  dax: (s, f) => {
    const st = s as { xflagDax?: unknown[]; size?: unknown[] };
    const size = String(st.size?.[f] ?? 'small');
    const flag = st.xflagDax?.[f] === true;
    return { daxFlag: flag, size: SIZES[size] ?? 4096, note: `FS_XFLAG_DAX = ${flag ? 1 : 0}, size ${size}` };
  },
  // The bench model has no file size; one page, so that a fault finds data.
  bench: (s, f) => ({ daxFlag: flagAt(s, f), size: 4096, note: `pflag = ${flagAt(s, f)}, one page of data` }),
};

export function fileSetupFor(model: string): SetupFn {
  return fileSetups[model] ?? ((s, f) => ({ daxFlag: flagAt(s, f), size: 4096, note: 'one page of data' }));
}

/** Where to run a reproducer: which filesystem and mount options the trace's design and constants assume. */
export function mountHint(model: string, design: string, constants: Readonly<Record<string, number | string>>): string[] {
  const mode = typeof constants.mount === 'string' ? constants.mount : 'inode';
  if (model === 'dax' && design.startsWith('virtiofs')) {
    return [
      `virtiofs with a DAX window, mounted with -o dax=${mode}; virtiofsd started with`,
      `--cache=${constants.cache ?? 'auto'} and a per-file DAX policy${constants.policy ? ` (the model's policy: ${constants.policy})` : ''}.`,
    ];
  }
  return [`ext4 or xfs on a pmem device (or memmap= emulated pmem), mounted with -o dax=${mode}.`];
}
