// What v6.12 does when DAX and the FUSE io modes meet on one inode, as
// scenarios replayed on the model (a step that is not enabled fails the
// test). Each names the kernel code it rests on.

import { describe, expect, it } from 'vitest';
import { finalState, labels, play } from '../../testkit/virtiofs-modes-play.js';

const PT = { flags: 'FOPEN_PASSTHROUGH' };
const DIO = { flags: 'FOPEN_DIRECT_IO' };
const CACHING = { flags: 'caching' };

describe('v6.12 (landed): a DAX inode has no io modes', () => {
  it('a FOPEN_PASSTHROUGH reply on a DAX inode is accepted and ignored: no backing file, no counter, I/O and mmap through DAX', () => {
    // fs/fuse/iomode.c fuse_file_io_open returns 0 for FUSE_IS_DAX before any io-mode check.
    const t = play('landed', true, [['Lookup'], ['Open', { ...PT, f: 'file1' }], ['Read', { f: 'file1' }], ['Mmap', { f: 'file1', to: 'vma1' }]]);
    const s = finalState(t);
    expect(s.inode.sDax).toBe(true);
    expect(s.file[0]).toMatchObject({ kind: 'FOPEN_PASSTHROUGH', iomode: 'IOM_NONE', backingId: 0 });
    expect({ iocachectr: s.iocachectr, fb: s.fb }).toEqual({ iocachectr: 0, fb: 0 });
    // fuse_file_read_iter and fuse_file_mmap ask FUSE_IS_DAX first.
    expect(labels(t).slice(1)).toEqual(['Open(FOPEN_PASSTHROUGH) -> file1 (no backing file: DAX inode)', 'Read file1 -> DAX window: v0', 'Mmap file1 -> vma1 (dax)']);
  });

  it('with no backing id registered (virtiofs as it is) the same reply is -EIO on a non-DAX inode and accepted on a DAX one', () => {
    // fuse_passthrough_open: idr_find finds nothing, -ENOENT; fuse_file_io_open "fail:" makes it -EIO.
    play('landed', false, [['Lookup'], ['OpenRefused', { ...PT, err: 'EIO' }]], { backingIds: 'none' });
    expect(() => play('landed', false, [['Lookup'], ['Open', { ...PT, f: 'file1' }]], { backingIds: 'none' })).toThrow(/step 2, Open/);
    const s = finalState(play('landed', true, [['Lookup'], ['Open', { ...PT, f: 'file1' }]], { backingIds: 'none' }));
    expect(s.file[0]).toMatchObject({ kind: 'FOPEN_PASSTHROUGH', backingId: 0 });
  });

  it('caching, direct-io and passthrough replies all open side by side on a DAX inode, and every read goes through DAX', () => {
    const t = play('landed', true, [['Lookup'], ['Open', { ...CACHING, f: 'file1' }], ['Open', { ...PT, f: 'file2' }], ['Read', { f: 'file1' }], ['Read', { f: 'file2' }]]);
    expect(labels(t).slice(3)).toEqual(['Read file1 -> DAX window: v0', 'Read file2 -> DAX window: v0']);
    // On a non-DAX inode the same pair is refused: the caching open holds iocachectr 1, so
    // fuse_inode_uncached_io_start returns -ETXTBSY and fuse_file_io_open -EIO.
    play('landed', false, [['Lookup'], ['Open', { ...CACHING, f: 'file1' }], ['OpenRefused', { ...PT, err: 'EIO' }]]);
  });

  it('FOPEN_DIRECT_IO on a DAX inode reads and maps through DAX, not the server', () => {
    const t = play('landed', true, [['Lookup'], ['Open', { ...DIO, f: 'file1' }], ['Write', { f: 'file1' }], ['Mmap', { f: 'file1', to: 'vma1' }], ['Load', { v: 'vma1' }]]);
    expect(labels(t).slice(2)).toEqual(['Write file1 -> DAX window: v1', 'Mmap file1 -> vma1 (dax)', 'Load vma1 -> DAX window: v1']);
    expect(finalState(t).iocachectr).toBe(0);
  });

  it('the server turning DAX on while a backing-file VMA lives changes nothing until the VMA goes: it pins the inode', () => {
    // fs/backing-file.c backing_file_open takes path_get(user_path): the VMA's vm_file holds
    // the FUSE dentry, so the released passthrough file does not let the inode go;
    // fuse_dax_dontcache only marks it (fs/fuse/dax.c), and the munmap's last reference evicts it.
    const t = play('landed', false, [
      ['Lookup'], ['Open', { ...PT, f: 'file1' }], ['Mmap', { f: 'file1', to: 'vma1' }],
      ['ServerDax', { v: true }], ['Lookup'], ['Close', { f: 'file1' }],
    ]);
    let s = finalState(t);
    expect(s.inode).toEqual({ cached: true, sDax: false, dontcache: true });
    expect({ iocachectr: s.iocachectr, fb: s.fb, vma: s.vma[0].map }).toEqual({ iocachectr: 0, fb: 0, vma: 'backing_file' });
    expect(labels(t)[4]).toBe('Lookup -> fuse_change_attributes (DONTCACHE)');
    const u = play('landed', false, [
      ['Lookup'], ['Open', { ...PT, f: 'file1' }], ['Mmap', { f: 'file1', to: 'vma1' }],
      ['ServerDax', { v: true }], ['Lookup'], ['Close', { f: 'file1' }], ['Munmap', { v: 'vma1' }], ['Lookup'], ['Open', { ...PT, f: 'file1' }],
    ]);
    expect(labels(u)[6]).toBe('Munmap vma1 (backing_file) -> evict');
    // The new instantiation is DAX with fresh io-mode state (fuse_init_file_inode: iocachectr = 0;
    // fuse_alloc_inode: fb NULL), and the passthrough reply is ignored there.
    s = finalState(u);
    expect(s.inode).toEqual({ cached: true, sDax: true, dontcache: false });
    expect({ iocachectr: s.iocachectr, fb: s.fb, backingId: s.file[0].backingId }).toEqual({ iocachectr: 0, fb: 0, backingId: 0 });
  });

  it('a file opened on a DAX inode releases no io-mode reference: fuse_file_io_release goes by ff->iomode', () => {
    const s = finalState(play('landed', true, [['Lookup'], ['Open', { ...CACHING, f: 'file1' }], ['Close', { f: 'file1' }]]));
    expect({ iocachectr: s.iocachectr, kind: s.file[0].kind }).toEqual({ iocachectr: 0, kind: 'free' });
  });
});

describe('the wrong designs', () => {
  it('switch-live: a caching file opened on a DAX inode is left without its reference when S_DAX goes, and a passthrough open gets in beside it', () => {
    const t = play('switch-live', true, [
      ['Lookup'], ['Open', { ...CACHING, f: 'file1' }], ['ServerDax', { v: false }], ['Lookup'],
      ['Open', { ...PT, f: 'file2' }], ['Read', { f: 'file1' }], ['Write', { f: 'file2' }], ['Read', { f: 'file1' }],
    ]);
    expect(labels(t).slice(3)).toEqual([
      'Lookup -> fuse_change_attributes (S_DAX 1 -> 0)', 'Open(FOPEN_PASSTHROUGH) -> file2',
      'Read file1 -> page cache: v0', 'Write file2 -> backing file: v1', 'Read file1 -> page cache: v0',
    ]);
    expect(finalState(t).file[0]).toMatchObject({ kind: 'caching', iomode: 'IOM_NONE' });
  });

  it('switch-live: a page dirtied through an old page-cache VMA after the switch to DAX is never written back', () => {
    // fuse_dax_file_aops: noop_dirty_folio, and fuse_dax_writepages writes DAX entries only.
    const t = play('switch-live', false, [
      ['Lookup'], ['ServerDax', { v: true }], ['Open', { ...CACHING, f: 'file1' }], ['Mmap', { f: 'file1', to: 'vma1' }],
      ['Lookup'], ['Store', { v: 'vma1' }], ['Munmap', { v: 'vma1' }], ['Read', { f: 'file1' }],
    ]);
    expect(labels(t).at(-1)).toBe('Read file1 -> DAX window: v0');
  });

  it('passthrough-on-dax: a passthrough open joins a direct-io file on a DAX inode; a caching one refuses it (-EIO, where v6.12 accepts)', () => {
    const t = play('passthrough-on-dax', true, [['Lookup'], ['Open', { ...DIO, f: 'file1' }], ['Open', { ...PT, f: 'file2' }], ['Read', { f: 'file1' }], ['Read', { f: 'file2' }]]);
    expect(labels(t).slice(3)).toEqual(['Read file1 -> DAX window: v0', 'Read file2 -> backing file: v0']);
    play('passthrough-on-dax', true, [['Lookup'], ['Open', { ...CACHING, f: 'file1' }], ['OpenRefused', { ...PT, err: 'EIO' }]]);
  });
});
