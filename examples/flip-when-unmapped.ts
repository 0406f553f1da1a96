// An example of a design of one's own (README "Checking your own design"):
// S_DAX flips at the ioctl while nothing maps the file (-EBUSY otherwise),
// but without writing the page cache back first. It adds a state variable
// (whether a file was fsync'ed) and an action (fsync(2)) of its own.
//
// Check it:   daxcheck check dax --design-file flip-when-unmapped.ts

import {
  type DaxDesign, type DaxState, Fd, actionsOver, arrayOf, bool, busyWhileMapped, daxShape, defineDesign, flipWithoutFlush,
  fName, pName, writeBack,
} from 'daxcheck';

/** The state as this design sees it: the dax model's variables and its own. */
type S = DaxState & { fsynced: Int32Array };
const action = actionsOver<S>();

const base: DaxDesign = {
  summary: 'flip S_DAX at the ioctl when nothing maps the file, with no writeback first',
  flavour: 'ext4/xfs',
  changes: (ctx) => ({ setFlag: { ...flipWithoutFlush(ctx), ...busyWhileMapped(ctx) } }),
};

export default defineDesign<DaxDesign>({
  model: 'dax',
  name: 'flip-when-unmapped',
  summary: base.summary,
  base,
  extend: (c) => {
    const { Files, Procs } = daxShape(c as never);
    const P = Procs.size;
    return {
      variables: { fsynced: arrayOf(Files, bool) },
      actions: {
        // fsync(2): vfs_fsync_range -> ext4_sync_file / xfs_file_fsync writes the file's dirty pages back.
        Fsync: action({
          params: { p: Procs, f: Files },
          actor: 'p',
          guard: (s, { p, f }) => s.fd[p]![f] !== Fd.closed,
          guardDoc: 'the process has the file open',
          effect: (s, { f }) => { writeBack(s, f, P); s.fsynced[f] = 1; },
          label: ({ p, f }) => `Fsync ${pName(p)} ${fName(f)}`,
        }),
      },
      properties: {
        SomeFileFsynced: { kind: 'reachable', doc: 'some process fsyncs a file', reached: (s: S) => s.fsynced.includes(1) },
      },
    };
  },
  words: { Fsync: (s) => `${s.params.p}: fsync(fd of ${s.params.f})` },
  // The reproducer's runtime has no fsync of one file; its writeback() is sync(2), which writes this file back too.
  reproducer: { Fsync: { c: (s) => `writeback(${Number(String(s.params.f).slice(1)) - 1});` } },
});
