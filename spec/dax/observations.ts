// What a program observes of the per-file DAX model on a real kernel, and
// what the model allows for it after a step: the conformance run
// (conform/validate.ts) judges each `@obs` line of a reproducer's machine
// format (traces/repro/runtime.c, -m) with these rules against the state the
// model is in after that step.
//
// The program only takes steps the model took, so every system call it makes
// is one the model lets succeed: a refused request (-EBUSY, -EINVAL) is not a
// step of any design (actions/setflag.ts). Data versions are per file: the
// n-th write, store or write fault to a file writes the byte n at offset 0,
// as the model's lastWrite numbers them (actions/io.ts, actions/mmap.ts).

import type { Plain } from '../../checker/layout.js';
import { indexOf, isShownTrue, type Expectation, type Observation, type ObservationRules, type ShownStep } from '../../checker/presentation.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

const bit = (b: boolean | undefined) => (b ? '1' : '0');
const same = (expected: string, got: string | undefined): Expectation => ({ expected, agrees: expected === got });

/** The size class of a byte count (state.ts Size; 32 KiB is the virtiofs server's threshold). */
export function sizeClass(bytes: number): string {
  if (bytes === 0) return 'empty';
  return bytes <= 32768 ? 'small' : 'big';
}

/**
 * The data version a read, load or read fault returns after the step: DAX
 * reads storage, the page-cache path the page (which the step filled from
 * storage if it had none); a load goes where its PTE points.
 */
function dataSeen(s: Step, p: number, f: number): number {
  const a = s.after;
  if (s.action === 'Read') return a.sDax[f] ? a.storage[f]! : a.pageVersion[f]!;
  const pte = a.pte[p]![f]!;
  return pte.startsWith('dax') ? a.storage[f]! : a.pageVersion[f]!;
}

/**
 * The flag ioctl's result. A request that fails part-way is still a step
 * (actions/setflag.ts failsPartWay): with FS_XFLAG_REALTIME on xfs -EINVAL,
 * with a project ID on ext4 -EOPNOTSUPP (spec/dax/request-errors.ts), and
 * on a reflinked xfs v5.10 file, where the flag is not what was asked and the
 * ioctl is not held past its check (a cut=locks SetFlag), -EINVAL.
 */
function ioctlOutcome(s: Step, f: number): { expected: string; ok: (ret: number) => boolean; errno?: string } {
  const failed = (errno: string, why: string) => ({ expected: `-1 (${errno}: ${why})`, ok: (r: number) => r === -1, errno });
  if (s.action !== 'SetFlag') return { expected: '0', ok: (r) => r === 0 };
  if (isShownTrue(s.params.rt)) return failed('EINVAL', 'FS_XFLAG_REALTIME without a realtime device, after the mark');
  if (isShownTrue(s.params.projid)) return failed('EOPNOTSUPP', 'a project ID without the project feature, after the flag is written');
  if (s.after.xflagDax[f] !== isShownTrue(s.params.v) && s.after.ioctl[indexOf(s.params.p)]![f] !== true) return failed('EINVAL', 'failed after its mark');
  return { expected: '0', ok: (r) => r === 0 };
}

/** What a successful call of each kind returns (the model took the step, so it succeeded). */
function successOf(s: Step, op: string, f: number): { expected: string; ok: (ret: number) => boolean; errno?: string } | undefined {
  switch (op) {
    case 'open': return { expected: 'a descriptor (>= 0), errno 0', ok: (r) => r >= 0 };
    case 'close': case 'mmap': case 'munmap': return { expected: '0', ok: (r) => r === 0 };
    case 'ioctl': return ioctlOutcome(s, f);
    case 'write': return { expected: '1 (one byte written)', ok: (r) => r === 1 };
    case 'read': {
      const empty = s.after.size[f] === 'empty';
      return { expected: empty ? '0 (end of file: the file is empty)' : '1 (one byte read)', ok: (r) => r === (empty ? 0 : 1) };
    }
    case 'statx': return { expected: '0', ok: (r) => r === 0 };
    default: return undefined;
  }
}

/** The step took the file's inode out of memory (a last close or munmap, reclaim). */
const evictedIn = (s: Step, f: number) => s.before.inode[f] === 'cached' && s.after.inode[f] !== 'cached';

function judge(o: Observation, s: Step): Expectation | undefined {
  // The parent's own lines (`parent - ret shell ...`) are about no file.
  if (!/^f\d+$/.test(o.file)) return undefined;
  const f = indexOf(o.file);
  const a = s.after;
  switch (o.what) {
    case 'evicted': return { expected: evictedIn(s, f) ? 'evicted' : 'not evicted (the inode stays in memory)', agrees: evictedIn(s, f) };
    case 'sdax': return same(bit(a.sDax[f]), o.value[0]);
    case 'xflag': return same(bit(a.xflagDax[f]), o.value[0]);
    // MAP_SYNC is accepted on a DAX inode only (include/linux/dax.h daxdev_mapping_supported): S_DAX seen a second way.
    // The mapping's kind, fixed at mmap time (smaps VmFlags: a DAX VMA has VM_HUGEPAGE).
    case 'vma': return same(a.vma[indexOf(o.who)]![f]!, o.value[0]);
    case 'mapsync': return { expected: a.sDax[f] ? '1 (accepted: the inode is DAX)' : '0 (EOPNOTSUPP: not DAX)', agrees: o.value[0] === bit(a.sDax[f]) };
    case 'size': {
      const cls = a.size[f]!;
      return { expected: `${cls} (${cls === 'empty' ? '0 bytes' : cls === 'small' ? '1..32768 bytes' : 'over 32768 bytes'})`, agrees: sizeClass(Number(o.value[0])) === cls };
    }
    case 'data': return same(String(dataSeen(s, indexOf(o.who), f)), o.value[0]);
    case 'signal': return { expected: 'no signal (the model takes the step)', agrees: false };
    case 'ret': {
      const [op, ret, err] = o.value;
      const ok = successOf(s, op ?? '', f);
      if (!ok) return undefined;
      return { expected: `${op} returns ${ok.expected}`, agrees: err === (ok.errno ?? '0') && ok.ok(Number(ret)) };
    }
    default: return undefined;
  }
}

/** Calls whose result the program reports for the step, by action. */
const CALL: Readonly<Record<string, string>> = {
  Open: 'open', Close: 'close', Mmap: 'mmap', Munmap: 'munmap', SetFlag: 'ioctl', Read: 'read', Write: 'write',
};

function required(s: Step): string[] {
  const a = s.after;
  const out: string[] = [];
  a.fd.forEach((files, p) => files.forEach((fd, f) => {
    const who = `p${p + 1} f${f + 1}`;
    if (fd !== 'closed') out.push(`${who} sdax`, `${who} xflag`, `${who} size`);
    else if (a.vma[p]![f] !== 'none') out.push(`${who} sdax`);
  }));
  const call = CALL[s.action];
  if (call && s.params.p !== undefined && s.params.f !== undefined) out.push(`${s.params.p} ${s.params.f} ret`);
  const reads = s.action === 'Read' ? a.size[indexOf(s.params.f)] !== 'empty'
    : s.action === 'Load' || (s.action === 'PageFault' && s.params.write !== true);
  if (reads) out.push(`${s.params.p} ${s.params.f} data`);
  if (s.action === 'Statx') out.push(`path ${s.params.f} sdax`);
  return out;
}

/**
 * What must be seen: `required`, and where the program watched the eviction
 * tracepoints (it says so with `kernel - tracing`) every eviction the model
 * makes in the step, so that an eviction the kernel did not do is caught too.
 */
function requiredOf(s: Step, seen?: ReadonlySet<string>): string[] {
  const out = required(s);
  if (seen?.has('kernel - tracing')) s.after.inode.forEach((_, f) => { if (evictedIn(s, f)) out.push(`kernel f${f + 1} evicted`); });
  return out;
}

export const daxObservations: ObservationRules<Plain<Schema>> = { judge, required: requiredOf };
