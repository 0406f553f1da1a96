// What a program observes of the DirectIo and backing-id steps (constants
// passthroughDirectIo, userODirect, backingIds), beside observations.ts:
// - DirectIo: read(2) and write(2) of one byte each return 1; the read's data
//   is the server's; the server sees one FUSE_WRITE of the file and one
//   FUSE_READ of less than a page (`directreads`: fuse_direct_io sends the
//   user's byte count, where a page-cache read asks for whole pages, so no
//   other step may show one);
// - a read through the page cache with keepCache=true: `server` (the server's
//   data as it is) or `stale` (an older version the page cache kept);
// - BackingOpen / BackingClose: the ioctl's return value (the id: each
//   program's connection gives 1, 2, ... in order) or its errno.

import type { Plain } from '../../checker/layout.js';
import type { Expectation, Observation, ObservationRules, ShownStep } from '../../checker/presentation.js';
import { ioProcess } from './program.js';
import type { Schema } from './state.js';

type Step = ShownStep<Plain<Schema>>;

const isBacking = (s: Step) => s.action.startsWith('Backing');
const directFile = (s: Step) => (s.action === 'DirectIo' ? String(s.params.f) : undefined);

function backingRet(s: Step, value: readonly string[]): Expectation {
  const [op, ret, err] = value;
  const want = s.action.startsWith('BackingOpen') ? 'backing_open' : 'backing_close';
  if (op !== want) return { expected: `no ${op} in step ${s.action}`, agrees: false };
  if (s.action.endsWith('Refused')) {
    const e = String(s.after.refused.errno);
    return { expected: `${want} returns -1, errno ${e}`, agrees: Number(ret) === -1 && err === e };
  }
  const id = s.action === 'BackingOpen' ? Number(s.params.id) : 0;
  return { expected: `${want} returns ${id}`, agrees: Number(ret) === id && err === '0' };
}

export function withFopenObservations(base: ObservationRules<Plain<Schema>>): ObservationRules<Plain<Schema>> {
  return {
    judge: (o: Observation, s: Step) => {
      const f = directFile(s);
      if (o.what === 'directreads') {
        return { expected: f === o.file ? '1 FUSE_READ of one byte (fuse_direct_io)' : 'no FUSE_READ of less than a page', agrees: f === o.file && o.value[0] === '1' };
      }
      if (f !== undefined && o.what === 'writes') return { expected: f === o.file ? '1 FUSE_WRITE (fuse_direct_io)' : 'no FUSE_WRITE', agrees: f === o.file && o.value[0] === '1' };
      if (f !== undefined && o.what === 'ret' && o.who === `p${ioProcess(s) + 1}`) {
        const [op, ret, err] = o.value;
        return op === 'read' || op === 'write' ? { expected: `${op} returns 1 (one byte)`, agrees: Number(ret) === 1 && err === '0' } : { expected: `no ${op} in step DirectIo`, agrees: false };
      }
      if (isBacking(s) && o.what === 'ret' && o.who === 'server') return backingRet(s, o.value);
      // keepCache=true: a read through the page cache returns what the page holds, stale or not.
      const read = (s.after as { read?: string }).read;
      if (o.what === 'data' && s.action === 'PageCacheIo' && read !== undefined) {
        const want = read === 'stale' ? 'stale' : 'server';
        return { expected: read === 'stale' ? 'stale (an older version of the server\'s data, kept in the page cache)' : 'server (the server\'s data as it is)', agrees: o.value[0] === want };
      }
      return base.judge(o, s);
    },
    required: (s: Step, seen?: ReadonlySet<string>) => {
      const out = [...base.required(s, seen)];
      const f = directFile(s);
      if (f !== undefined) out.push(`p${ioProcess(s) + 1} ${f} ret`, `p${ioProcess(s) + 1} ${f} data`, `server ${f} writes`, `server ${f} directreads`);
      if (isBacking(s)) out.push('server - ret');
      return out;
    },
  };
}
