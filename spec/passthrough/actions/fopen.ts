// Read and write that go to the server, whatever the inode's io mode
// (constants passthroughDirectIo, userODirect): the DirectIo step.
// - FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO: the open is a passthrough open
//   (IOM_UNCACHED, fi->fb attached; FOPEN_DIRECT_IO is inside
//   FOPEN_PASSTHROUGH_MASK), its mmap maps the backing file
//   (fuse_file_mmap tests fuse_file_passthrough(ff) first), and its
//   read/write go to the server: "FOPEN_DIRECT_IO overrides
//   FOPEN_PASSTHROUGH" (fs/fuse/file.c fuse_file_read_iter,
//   fuse_file_write_iter -> fuse_direct_read_iter / fuse_direct_write_iter,
//   v6.12). So the io mode is passthrough's, and only mmap uses the backing file.
// - FOPEN_DIRECT_IO (with passthroughDirectIo=true, beside it): the same
//   read/write, without an io mode.
// - The user's O_DIRECT on a caching file: the open took a caching
//   reference (fs/fuse/iomode.c fuse_file_io_open), and read/write run
//   fuse_cache_read_iter / fuse_cache_write_iter with IOCB_DIRECT:
//   generic_file_read_iter and generic_file_direct_write call
//   a_ops->direct_IO = fuse_direct_IO, which sends FUSE_READ / FUSE_WRITE
//   of the user's bytes, not of pages (fs/fuse/file.c, v6.12).
// The step changes no mode; a trace shows the I/O a state allows. With
// dioWrites > 0 a FOPEN_DIRECT_IO write is the DioWrite steps instead, and
// this step waits, as close(2) does, while a dio write holds the inode lock.

import { actionsOf, type ActionDef } from '../../../checker/model.js';
import { DioPhase } from '../dio-state.js';
import { Errno, FileKind, RefusedCall, type Schema, type World } from '../state.js';

const action = actionsOf<Schema>();
const fileName = (f: number) => `file${f + 1}`;

export function directIoActions(w: World): Record<string, ActionDef<Schema, any>> {
  if (w.directIoKinds.length === 0) return {};
  const kinds = new Set(w.directIoKinds);
  const lockFree = (s: { dio: ArrayLike<{ phase: number }> }) => {
    for (let i = 0; i < w.nw; i++) if (s.dio[i]!.phase !== DioPhase.idle) return false;
    return true;
  };
  const DirectIo = action({
    params: { f: w.Files },
    guard: (s, { f }) => kinds.has(s.file[f].kind) && (!w.dio || lockFree(s)),
    effect: (s) => { s.refused.call = RefusedCall.none; s.refused.errno = Errno.none; },
    guardDoc: 'the file\'s read/write go to the server: FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO, FOPEN_DIRECT_IO, or a caching file the user opened with O_DIRECT',
    label: ({ f }, before) => `Read/Write ${fileName(f)} -> server (${before.file[f].kind === FileKind['caching+O_DIRECT'] ? 'O_DIRECT: fuse_direct_IO' : 'FOPEN_DIRECT_IO'})`,
    source: 'fs/fuse/file.c fuse_file_read_iter / fuse_file_write_iter ("FOPEN_DIRECT_IO overrides FOPEN_PASSTHROUGH"), fuse_cache_read_iter -> generic_file_read_iter -> fuse_direct_IO (v6.12)',
  });
  return { DirectIo };
}
