// Parallel dio writes as a program performs them (traces/repro/fuse.c, at
// dioWrites > 0), and what it observes of them:
// - DioWrite: a thread of the process pwrite(2)s one byte of the direct-io
//   file; the program's FUSE server holds the FUSE_WRITE until DioWriteDone,
//   so the write stays in flight as long as the step says;
// - DioLockGranted, DioCheckMode, and the wake-up of a sleeping open are the
//   kernel's own steps: the program only lets time pass (kernel_settles), and
//   a walk takes them before the next system call (`settled`), as the kernel
//   does on an idle machine;
// - OpenWaits / OpenWakes: a caching open in a thread, which sleeps in
//   fuse_file_cached_io_open, and its return.
// Observed after every step: which writes the server holds (`server -
// inflight`, one 0/1 per write slot) and whether the thread's open sleeps
// (`server - waiter none|asleep|returned`). A write the kernel may or may not
// have sent yet (the model's lockedShared, or a sleeper the rwsem can grant)
// may be either.

import type { Plain } from '../../checker/layout.js';
import { indexOf, type Expectation, type Observation, type ObservationRules, type ProgramStep, type ShownStep } from '../../checker/presentation.js';
import { openedSlot } from './program.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;
type Writer = { phase: string; file: string; proc: string };

const writers = (s: Plain<Schema>): Writer[] => (s as unknown as { dio?: Writer[] }).dio ?? [];
const hasDio = (s: Step) => writers(s.before).length > 0;
const waiterOf = (s: Plain<Schema>) => (s as unknown as { waiter: { phase: string; proc: string } }).waiter;

const sharedFree = (ws: Writer[]) => !ws.some((w) => w.phase === 'exclusiveInFlight' || w.phase === 'waitExclusive');
const exclusiveFree = (ws: Writer[]) => !ws.some((w) => ['lockedShared', 'sharedInFlight', 'exclusiveInFlight'].includes(w.phase));
/** A sleeper on the inode lock that the rwsem can hand it to now. */
const grantable = (ws: Writer[], w: Writer) => (w.phase === 'waitShared' && sharedFree(ws)) || (w.phase === 'waitExclusive' && exclusiveFree(ws));

/** No step of the kernel's own is pending: no mode check to run, no lock to grant, no woken open to run. */
export function settled(s: Plain<Schema>): boolean {
  const ws = writers(s);
  if (ws.length === 0) return true;
  return !ws.some((w) => w.phase === 'lockedShared' || grantable(ws, w)) && waiterOf(s).phase !== 'woken';
}

const P = (v: unknown) => `P(${indexOf(v as string)})`;
const F = (v: unknown) => `F(${indexOf(v as string)})`;
/** The write slot a DioWrite takes: the one that was idle before and is not after. */
const takenSlot = (s: Step) => writers(s.after).findIndex((x, i) => writers(s.before)[i]!.phase === 'idle' && x.phase !== 'idle');
const writerOf = (s: Step) => writers(s.before)[indexOf(s.params.w)]!;
/** Where the woken open lands: -1 asleep again, NFILES refused, else its file slot. */
const wakeSlot = (s: Step) => (waiterOf(s.after).phase === 'sleeping' ? '-1' : s.after.refused.errno === 'EIO' ? 'NFILES' : `F(${openedSlot(s)})`);

const kernel: ProgramStep<Plain<Schema>> = { c: () => 'kernel_settles();' };

export const dioSteps: Readonly<Record<string, ProgramStep<Plain<Schema>>>> = {
  DioWrite: { c: (s) => `dio_write(${P(s.params.p)}, ${F(s.params.f)}, ${takenSlot(s)});` },
  DioLockGranted: kernel,
  DioCheckMode: kernel,
  DioWriteDone: { c: (s) => `dio_done(${P(writerOf(s).proc)}, ${F(writerOf(s).file)}, ${indexOf(s.params.w)});` },
  OpenWaits: { c: (s) => `open_wait(${P(s.params.p)});` },
  OpenWakes: { c: (s) => `open_wake(${P(waiterOf(s.before).proc)}, ${wakeSlot(s)});` },
};
const KERNEL_STEPS = new Set(['DioLockGranted', 'DioCheckMode', 'OpenWakes']);

/**
 * The model's steps with the dio ones: a system call only once the kernel has
 * settled, and never one that would sleep in the kernel for good (a refusal
 * the model reports as HANG: the program has no thread to spare for it).
 */
export function withDioSteps(steps: Readonly<Record<string, ProgramStep<Plain<Schema>>>>): Record<string, ProgramStep<Plain<Schema>>> {
  const out: Record<string, ProgramStep<Plain<Schema>>> = {};
  for (const [name, st] of Object.entries({ ...steps, ...dioSteps })) {
    out[name] = KERNEL_STEPS.has(name) ? st : {
      ...st,
      can: (s: Step) => (!hasDio(s) || (settled(s.before) && s.after.refused.errno !== 'HANG')) && (st.can?.(s) ?? true),
    };
  }
  return out;
}

function inflightExpectation(s: Step, values: readonly string[]): Expectation {
  const ws = writers(s.after);
  const allowed = ws.map((w) => (['sharedInFlight', 'exclusiveInFlight'].includes(w.phase) ? ['1']
    : w.phase === 'lockedShared' || grantable(ws, w) ? ['0', '1'] : ['0']));
  return {
    expected: `held FUSE_WRITEs ${allowed.map((a) => a.join('|')).join(' ')} (${ws.map((w) => w.phase).join(', ')})`,
    agrees: values.length === ws.length && allowed.every((a, i) => a.includes(values[i]!)),
  };
}

function waiterExpectation(s: Step, value: string | undefined): Expectation {
  const phase = waiterOf(s.after).phase;
  const allowed = phase === 'none' ? ['none'] : phase === 'sleeping' ? ['asleep'] : ['asleep', 'returned'];
  return { expected: `the waiting open ${allowed.join(' or ')} (${phase})`, agrees: value !== undefined && allowed.includes(value) };
}

/** The process and file a dio step's call is made by, as the program prints them. */
function dioActor(s: Step): { who: string; file: string; op: string } | undefined {
  if (s.action === 'DioWriteDone') return { who: writerOf(s).proc, file: writerOf(s).file, op: 'write' };
  if (s.action === 'OpenWakes' && waiterOf(s.after).phase !== 'sleeping') {
    return { who: waiterOf(s.before).proc, file: s.after.refused.errno === 'EIO' ? '-' : `file${openedSlot(s) + 1}`, op: 'open' };
  }
  return undefined;
}

export function withDioObservations(base: ObservationRules<Plain<Schema>>): ObservationRules<Plain<Schema>> {
  return {
    judge: (o: Observation, s: Step) => {
      if (!hasDio(s)) return base.judge(o, s);
      if (o.who === 'server' && o.what === 'inflight') return inflightExpectation(s, o.value);
      if (o.who === 'server' && o.what === 'waiter') return waiterExpectation(s, o.value[0]);
      const a = dioActor(s);
      if (o.what === 'ret' && a && o.who === a.who) {
        const [op, ret, err] = o.value;
        if (op !== a.op) return { expected: `no ${op} in step ${s.action}`, agrees: false };
        if (a.file === '-') return { expected: 'open returns -1, errno EIO', agrees: Number(ret) === -1 && err === 'EIO' };
        return op === 'open' ? { expected: 'open returns a descriptor (>= 0)', agrees: Number(ret) >= 0 && err === '0' }
          : { expected: 'write returns 1 (one byte)', agrees: Number(ret) === 1 && err === '0' };
      }
      return base.judge(o, s);
    },
    required: (s: Step, seen?: ReadonlySet<string>) => {
      const out = [...base.required(s, seen)];
      if (!hasDio(s)) return out;
      out.push('server - inflight', 'server - waiter');
      const a = dioActor(s);
      if (a) out.push(`${a.who} ${a.file} ret`);
      return out;
    },
  };
}

/** The dio steps in a kernel developer's words (show, check, replay, the trace page). */
export const dioWords: Readonly<Record<string, (s: Step) => string>> = {
  DioWrite: (s) => `${s.params.p}: a thread pwrite(2)s ${s.params.f} (FOPEN_DIRECT_IO): fuse_dio_lock takes ${['exclusiveInFlight', 'waitExclusive'].includes(writers(s.after)[takenSlot(s)]!.phase) ? 'the exclusive' : 'the shared'} inode lock${writers(s.after)[takenSlot(s)]!.phase.startsWith('wait') ? ', and sleeps on it' : ''}`,
  DioLockGranted: (s) => `the inode rwsem grants ${s.params.w} its lock`,
  DioCheckMode: (s) => `${s.params.w}, under the shared lock: fuse_inode_uncached_io_start(fi, NULL)${writers(s.after)[indexOf(s.params.w)]!.phase === 'sharedInFlight' ? ' = 0: FUSE_WRITE sent' : ' fails: inode_unlock_shared, inode_lock'}`,
  DioWriteDone: (s) => `the server replies to ${s.params.w}'s FUSE_WRITE: fuse_dio_unlock${writerOf(s).phase === 'sharedInFlight' ? ' (fuse_inode_uncached_io_end)' : ''}; pwrite(2) returns`,
  OpenWaits: (s) => `${s.params.p}: a thread's open(2), which the server answers without FOPEN_DIRECT_IO: fuse_file_cached_io_open sets FUSE_I_CACHE_IO_MODE and sleeps`,
  OpenWakes: (s) => `${waiterOf(s.before).proc}: the woken open runs: ${waiterOf(s.after).phase === 'sleeping' ? 'the wait still holds, it sleeps again' : s.after.refused.errno === 'EIO' ? 'a fuse_backing is attached: -ETXTBSY, open returns -EIO' : `it takes its caching reference: file${openedSlot(s) + 1}`}`,
};
