// How a model's steps look to a person and to a program: the optional part of
// a model's definition that traces/ reads to print kernel words, draw the
// trace page and write a C reproducer. A model states here, for each of its
// actions, what a user program does for it; traces/ knows no model, so adding
// a model or an action never edits traces/.
//
// A step is given as what a trace holds: the action's name, its parameters as
// shown (`p1`, `f2`, enum names, booleans) and the decoded states before and
// after it. What the kernel decided in the step (did the close evict the
// inode, which slot did the new file take) is read from before and after, not
// from a parameter, so the words stay right however the action names it.

import { UsageError } from './errors.js';

export type ShownValue = string | number | boolean;

/**
 * One step of a trace as the presentation sees it; only steps after the
 * initial state are shown this way. `State` is the decoded state as the
 * model's presentation reads it (Plain<Schema>, or just the variables it
 * reads); traces/ does not know it, so there it is `any`.
 */
export interface ShownStep<State = any> {
  readonly action: string;
  readonly params: Readonly<Record<string, ShownValue>>;
  readonly before: State;
  readonly after: State;
}

/** What a program does for a step, in the kernel's words, e.g. `p1: close(fd of f1)`. */
export type StepWords<State = any> = (step: ShownStep<State>) => string;

/** A step a C program performs: statements calling the reproducer runtime (traces/repro/runtime.c). */
export interface ProgramStep<State = any> {
  readonly c: (step: ShownStep<State>) => string;
  /** Whether a program can perform the step from this state (default: always), e.g. a read(2) needs a descriptor. */
  readonly can?: (step: ShownStep<State>) => boolean;
}

/** A step no user program can perform (an eviction, a server-side change): why not, and how to make it happen by hand. */
export interface ManualStep<State = any> {
  readonly manual: (step: ShownStep<State>) => { readonly why: string; readonly shell: string };
  /**
   * Actions the shell command first runs to completion on every file, e.g.
   * the `sync` before drop_caches: every Writeback. A conformance run applies
   * them until none is enabled, then the manual step itself.
   */
  readonly completes?: readonly string[];
}

/** How the reproducer creates one file before step 1. */
export interface FileSetup {
  readonly daxFlag: boolean;
  readonly size: number;
  /** What the model's initial state says about the file, for the comment beside it. */
  readonly note: string;
  /** The file does not exist before step 1 (a step of the trace creates it): nothing is set up for it. */
  readonly absent?: boolean;
}

/**
 * One thing a reproducer saw in a step, from a line `@obs WHO FILE WHAT VALUE...`
 * of its machine format (traces/repro/runtime.c, -m): `p1 f1 sdax 1 fd`,
 * `p2 f1 ret mmap -1 EINVAL`, `path f1 sdax 0`.
 */
export interface Observation {
  readonly who: string;
  readonly file: string;
  readonly what: string;
  readonly value: readonly string[];
}

/** What the model says of an observation after a step: the value it allows, and whether the observed one is it. */
export interface Expectation {
  readonly expected: string;
  readonly agrees: boolean;
}

/**
 * How a model reads a reproducer's observations, for conformance runs: each
 * is judged against the state after the step (undefined: the model says
 * nothing about it), and `required` lists what must have been observed,
 * as `WHO FILE WHAT` (e.g. S_DAX from every process that holds a file).
 */
export interface ObservationRules<State = any> {
  readonly judge: (obs: Observation, step: ShownStep<State>) => Expectation | undefined;
  /** `seen`: the `WHO FILE WHAT` keys the program printed for the step, for rules that depend on what it could watch. */
  readonly required: (step: ShownStep<State>, seen?: ReadonlySet<string>) => readonly string[];
}

/** The parts of a C reproducer only the model knows. */
export interface CReproducer<State = any> {
  /** The index set whose members are the files the program creates (`f` for f1, f2, …). */
  readonly files: string;
  /** The index set whose members are the processes the program forks (`p`). */
  readonly processes: string;
  /** Each action the program performs or asks to be done by hand, by action name. */
  readonly steps: Readonly<Record<string, ProgramStep<State> | ManualStep<State>>>;
  /** How file `file` (0-based) is created, from the trace's initial state; absent: the runtime sets its files up itself. */
  readonly fileSetup?: (initial: State, file: number) => FileSetup;
  /** C statements that set up the rest of the initial state (e.g. directories), after the files. */
  readonly setup?: (initial: State) => readonly string[];
  /**
   * The runtime the steps call, a file of traces/repro/ (default `runtime.c`:
   * files on a local file system); `fuse.c` brings its own FUSE server.
   */
  readonly runtime?: string;
  /** Values of the runtime's `#define NAME N` lines the constants decide (beside NPROCS and NFILES). */
  readonly defines?: (constants: Readonly<Record<string, number | string>>) => Readonly<Record<string, number>>;
  /** The file systems a conformance VM can run the program on, and those it runs by default (absent: ext4 and xfs, both). */
  readonly fileSystems?: { readonly accepted: readonly string[]; readonly byDefault: readonly string[] };
  /**
   * How a conformance VM must make its file systems for these constants: words
   * the VM's init reads (e.g. `device=nodax`), and the file systems that can
   * hold such a setting at all (absent: no preparation, any accepted one).
   */
  readonly machine?: (constants: Readonly<Record<string, number | string>>) => { readonly prep: readonly string[]; readonly fileSystems?: readonly string[] };
  /** What each step of the program prints, for the program's header (default: S_DAX and FS_XFLAG_DAX). */
  readonly prints?: string;
  /** Where to run the program: the filesystem and mount options the design and constants assume. */
  readonly mountHint: (design: string, constants: Readonly<Record<string, number | string>>) => readonly string[];
  /** How the program's observations are judged against the model; absent: the model cannot be checked on a kernel. */
  readonly observations?: ObservationRules<State>;
}

export interface Mode {
  readonly name: string;
  readonly values: readonly string[];
}

export interface Presentation<State = any> {
  /** Kernel words for each action, by action name. */
  readonly words: Readonly<Record<string, StepWords<State>>>;
  /** The index set whose members are the lanes of the trace page (the files); default the first in the schema. */
  readonly lanes?: string;
  /** The I/O modes a file can be in, each with the shown values that mean it; the page colours the first two. */
  readonly modes?: readonly Mode[];
  /** The C reproducer's parts; absent when no C program can perform the model's steps. */
  readonly c?: CReproducer<State>;
}

/** `p2` -> 1, `f1` -> 0: the 0-based index of a shown index value, as the model and the C runtime number them. */
export function indexOf(v: ShownValue | undefined): number {
  const m = /(\d+)$/.exec(String(v));
  if (!m) throw new UsageError(`expected a process or file like p1 or f2, got ${JSON.stringify(v)}`);
  return Number(m[1]) - 1;
}

/** A shown boolean parameter is on (a trace from another tool may give 1 or "true"). */
export function isShownTrue(v: ShownValue | undefined): boolean {
  return v === true || v === 1 || v === 'true' || v === '1';
}
