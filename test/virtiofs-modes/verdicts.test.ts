// The verdict table of `daxcheck matrix virtiofs-modes` at the default
// constants (files=2 vmas=1 versions=1 mount=inode backingIds=registered),
// and at backingIds=none (virtiofs as it is: no backing id can be
// registered). Every cell says why, and where the reason comes from; a cell
// that is a finding about v6.12 is marked FINDING.

import { describe, expect, it } from 'vitest';
import { runMatrix, type MatrixCell } from '../../checker/matrix.js';
import { virtiofsModesModel } from '../../spec/virtiofs-modes/index.js';

const holds: MatrixCell = { status: 'holds' };
const vacuous: MatrixCell = { status: 'vacuous' };
const violated = (traceLength: number): MatrixCell => ({ status: 'violated', traceLength });
const reached = (traceLength: number): MatrixCell => ({ status: 'reached', traceLength });

// The goals every design reaches alike: Lookup then an open (2), a third step to map or refuse.
const goals = {
  DaxFileOpen: reached(2),
  PassthroughFileOpen: reached(2),
  PageCacheMapped: reached(3),
  DaxMapped: reached(3),
  BackingFileMapped: reached(3),
  ServerChangedWhileOpen: reached(3),
  RefusedPassthroughOpen: reached(3),
};

// FINDING (v6.12, not DAX's): Lookup, Open(FOPEN_PASSTHROUGH), Mmap (the backing file becomes
// vm_file: fs/fuse/passthrough.c fuse_passthrough_mmap -> backing_file_mmap), Close (the last
// fuse_file reference: fuse_file_io_release ends passthrough mode, fi->fb cleared), Open(caching)
// accepted beside the live backing-file VMA. Then Read (page cache filled), Store through the
// VMA (the backing file), Read returns the page-cache copy (8 steps). Every design shares it.
const backingVmaOutlivesPassthrough = { NoPageCacheBesidePassthrough: violated(5), ReadSeesLastWrite: violated(8) };

const expected: Record<string, Record<string, MatrixCell>> = {
  landed: {
    // S_DAX is set only by fuse_dax_inode_init at fuse_iget and a DAX inode's reads, writes and
    // mmaps all go through DAX (fs/fuse/file.c fuse_file_read_iter / _write_iter / fuse_file_mmap
    // test FUSE_IS_DAX first), so no page-cache user ever meets a DAX inode.
    NoPageCacheBesideDax: holds,
    ...backingVmaOutlivesPassthrough,
    // fs/fuse/iomode.c: a DAX inode takes no io mode at all, a non-DAX one the rules of the
    // passthrough model, and release goes by ff->iomode, which never changes under a file.
    ModeCounterConsistent: holds,
    IocachectrNoUnderflow: holds,
    // fuse_file_io_open skips a DAX inode before fuse_file_passthrough_open: ff->passthrough is never set there.
    NoPassthroughBesideDax: holds,
    // fuse_change_attributes only marks (fuse_dax_dontcache); S_DAX changes at the next fuse_iget.
    SDaxFixedWhileInUse: holds,
    ...goals,
    // Lookup (S_DAX=1), Open(FOPEN_PASSTHROUGH): accepted with no backing file.
    PassthroughReplyOnDaxInode: reached(2),
  },
  'switch-live': {
    // Lookup, Server FUSE_ATTR_DAX=1, Open(caching), Mmap (page cache), Lookup switches to DAX:
    // the VMA keeps fuse_file_vm_ops (filemap_fault) on an inode whose a_ops are fuse_dax_file_aops.
    NoPageCacheBesideDax: violated(5),
    NoPageCacheBesidePassthrough: violated(5),
    // Lookup (S_DAX=1), Server 0, Open(caching) (no io mode on a DAX inode), Lookup switches off:
    // the caching file now reads through the page cache holding IOM_NONE.
    ModeCounterConsistent: violated(4),
    // Release goes by ff->iomode, so the counter never goes below its passthrough files.
    IocachectrNoUnderflow: holds,
    // Lookup, Server 1, Open(FOPEN_PASSTHROUGH), Mmap (backing file), Lookup switches to DAX.
    NoPassthroughBesideDax: violated(5),
    // The DAX-specific loss is shorter than the shared one: ..., Lookup switches to DAX, Store
    // through the old page-cache VMA (a page no a_ops will write back), Read through DAX (7).
    ReadSeesLastWrite: violated(7),
    SDaxFixedWhileInUse: violated(4),
    ...goals,
    PassthroughReplyOnDaxInode: reached(2),
  },
  'passthrough-on-dax': {
    // S_DAX still changes only at fuse_iget, and a DAX inode still has no page-cache route.
    NoPageCacheBesideDax: holds,
    ...backingVmaOutlivesPassthrough,
    ModeCounterConsistent: holds,
    IocachectrNoUnderflow: holds,
    // Lookup (S_DAX=1), Open(FOPEN_DIRECT_IO) (no reference), Open(FOPEN_PASSTHROUGH) accepted:
    // one file through DAX, one through the backing file. Data stays coherent only because the
    // model takes the backing file to be the server's file.
    NoPassthroughBesideDax: violated(3),
    SDaxFixedWhileInUse: holds,
    ...goals,
    // Every accepted passthrough open attaches its backing file here.
    PassthroughReplyOnDaxInode: vacuous,
  },
};

// Distinct states per design at the defaults (switch-live reaches more: its live switch joins
// states of both instantiations). A change here is a model change: say why.
const STATES = { landed: 3_314, 'switch-live': 15_488, 'passthrough-on-dax': 3_914 };

describe('virtiofs-modes verdict table', () => {
  it('has the expected cell for every design and property at the default constants', () => {
    expect(runMatrix(virtiofsModesModel).cells).toEqual(expected);
  });

  it('with no backing id (virtiofs as it is) v6.12 keeps every property, and switch-live still loses data', () => {
    const cells = runMatrix(virtiofsModesModel, { constants: { backingIds: 'none' } }).cells;
    // No passthrough file ever opens, so the passthrough rows have nothing to check.
    for (const d of ['landed', 'switch-live', 'passthrough-on-dax']) {
      expect(cells[d]!.NoPageCacheBesidePassthrough, d).toEqual(vacuous);
      expect(cells[d]!.PassthroughFileOpen, d).toEqual(vacuous);
    }
    expect(cells.landed).toMatchObject({ NoPageCacheBesideDax: holds, ModeCounterConsistent: holds, ReadSeesLastWrite: holds, SDaxFixedWhileInUse: holds });
    expect(cells['passthrough-on-dax']).toMatchObject({ NoPageCacheBesideDax: holds, ModeCounterConsistent: holds, ReadSeesLastWrite: holds });
    expect(cells['switch-live']).toMatchObject({ NoPageCacheBesideDax: violated(5), ModeCounterConsistent: violated(4), ReadSeesLastWrite: violated(7), SDaxFixedWhileInUse: violated(4) });
  });

  it('under dax=never every design is landed\'s passthrough model; under dax=always only passthrough-on-dax mixes', () => {
    const never = runMatrix(virtiofsModesModel, { constants: { mount: 'never' } }).cells;
    expect(never['switch-live']).toEqual(never.landed);
    expect(never['passthrough-on-dax']).toEqual(never.landed);
    const always = runMatrix(virtiofsModesModel, { constants: { mount: 'always' } }).cells;
    expect(always.landed!.NoPassthroughBesideDax).toEqual(vacuous);
    expect(always['passthrough-on-dax']!.NoPassthroughBesideDax).toEqual(violated(3));
  });

  it('keeps its default state space small (npm start prints this table): the counts at the defaults', () => {
    const r = runMatrix(virtiofsModesModel);
    expect(Object.fromEntries(r.runs.map((x) => [x.design, x.distinctStates]))).toEqual(STATES);
  });
});
