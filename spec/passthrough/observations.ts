// What a program observes of the passthrough model on a real kernel, and what
// the model allows for it after a step (conform/validate.ts judges each `@obs`
// line of traces/repro/fuse.c's machine format with these rules):
// - each call's return value and errno: a refused open is -EIO
//   (fs/fuse/iomode.c fuse_file_io_open "fail:"), a refused mmap -ENODEV or
//   -ETXTBSY (fs/fuse/file.c fuse_file_mmap), as the step recorded;
// - where a read(2) or page fault got its data: the server's FUSE_READ (the
//   page cache) or the backing file (fuse_passthrough_read_iter);
// - the FUSE requests the server saw for a struct file: FUSE_RELEASE when its
//   last reference went (fs/fuse/file.c fuse_file_put), FUSE_WRITE when a
//   write(2) went through the page cache (no writeback cache: write-through,
//   fuse_perform_write) rather than to the backing file;
// - each live process's mappings of the inode by kind, from /proc/self/maps:
//   MAP_PRIVATE and MAP_SHARED page-cache VMAs of the FUSE inode, and VMAs of
//   a backing file (backing_file_mmap replaced vm_file).

import type { Plain } from '../../checker/layout.js';
import { indexOf, type Expectation, type Observation, type ObservationRules, type ShownStep } from '../../checker/presentation.js';
import { ioProcess, openedSlot } from './program.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

const released = (s: Step, f: number) => s.before.file[f]!.kind !== 'free' && s.after.file[f]!.kind === 'free';
const isIo = (s: Step) => s.action === 'PageCacheIo' || s.action === 'PassthroughIo';

/** The process and file a step's call is made by, as the program prints them (`-`: a refused open has no slot). */
function actor(s: Step): { who: string; file: string } | undefined {
  switch (s.action) {
    case 'Open': return { who: String(s.params.p), file: `file${openedSlot(s) + 1}` };
    case 'OpenRefused': return { who: String(s.params.p), file: '-' };
    case 'Close': case 'Mmap': case 'MmapRefused': return { who: String(s.params.p), file: String(s.params.f) };
    case 'Split': case 'VmaClose': case 'Fault': {
      const x = s.before.vma[indexOf(s.params.v)]!;
      return { who: String(x.proc), file: String(x.file) };
    }
    case 'PageCacheIo': case 'PassthroughIo': return { who: `p${ioProcess(s) + 1}`, file: String(s.params.f) };
    default: return undefined;
  }
}

/** What each call of the step returns in the model: `ret` for success, or -1 and the errno the step recorded. */
function returns(s: Step, op: string): { expected: string; ok: (ret: number, err: string) => boolean } | undefined {
  const success = (what: string, ok: (r: number) => boolean) => ({ expected: `${op} returns ${what}`, ok: (r: number, e: string) => e === '0' && ok(r) });
  const refused = () => {
    const e = String(s.after.refused.errno);
    return { expected: e === 'HANG' ? `${op} sleeps in wait_event(direct_io_waitq)` : `${op} returns -1, errno ${e}`, ok: (r: number, err: string) => r === -1 && err === e };
  };
  const want: Readonly<Record<string, string>> = {
    Open: 'open', OpenRefused: 'open', Close: 'close', Mmap: 'mmap', MmapRefused: 'mmap', Split: 'mprotect', VmaClose: 'munmap',
  };
  if (isIo(s)) return op === 'read' || op === 'write' ? success('1 (one byte)', (r) => r === 1) : undefined;
  if (want[s.action] !== op) return undefined;
  if (s.action === 'OpenRefused' || s.action === 'MmapRefused') return refused();
  return op === 'open' ? success('a descriptor (>= 0)', (r) => r >= 0) : success('0', (r) => r === 0);
}

/** `MAP_PRIVATE=a MAP_SHARED=b backing_file=c`: process `who`'s VMAs after the step. */
function vmasOf(s: Step, who: string): string {
  const n = (map: string) => s.after.vma.filter((x) => x.map === map && x.proc === who).length;
  return `MAP_PRIVATE=${n('MAP_PRIVATE')} MAP_SHARED=${n('MAP_SHARED')} backing_file=${n('backing_file')}`;
}

function judge(o: Observation, s: Step): Expectation | undefined {
  const a = actor(s);
  switch (o.what) {
    case 'vmas': return { expected: vmasOf(s, o.who), agrees: o.value.join(' ') === vmasOf(s, o.who) };
    case 'release': {
      const r = released(s, indexOf(o.file));
      return { expected: r ? 'FUSE_RELEASE (the last reference went)' : 'no FUSE_RELEASE (the file is still referenced)', agrees: r && o.value[0] === '1' };
    }
    case 'writes': {
      const through = s.action === 'PageCacheIo' && String(s.params.f) === o.file;
      return { expected: through ? '1 FUSE_WRITE (write-through page cache)' : 'no FUSE_WRITE', agrees: through && o.value[0] === '1' };
    }
    case 'data': {
      const from = s.action === 'PassthroughIo' ? 'backing' : 'server';
      return { expected: `${from} (${from === 'backing' ? 'read from the backing file' : "the page cache, filled by the server's FUSE_READ"})`, agrees: o.value[0] === from };
    }
    case 'signal': return { expected: 'no signal (the model takes the step)', agrees: false };
    case 'ret': {
      if (!a || o.who !== a.who) return undefined;
      const [op, ret, err] = o.value;
      const r = returns(s, op ?? '');
      return r ? { expected: r.expected, agrees: r.ok(Number(ret), err ?? '') } : { expected: `no ${op} in step ${s.action}`, agrees: false };
    }
    default: return undefined;
  }
}

function required(s: Step): string[] {
  const out: string[] = [];
  s.after.alive.forEach((alive, p) => { if (alive) out.push(`p${p + 1} - vmas`); });
  s.after.file.forEach((_, f) => { if (released(s, f)) out.push(`server file${f + 1} release`); });
  const a = actor(s);
  if (a && s.action !== 'Fault') out.push(`${a.who} ${a.file} ret`);
  if (a && (isIo(s) || s.action === 'Fault')) out.push(`${a.who} ${a.file} data`);
  if (s.action === 'PageCacheIo') out.push(`server ${String(s.params.f)} writes`);
  return out;
}

export const passthroughObservations: ObservationRules<Plain<Schema>> = { judge, required };
