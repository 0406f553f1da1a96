// Hand-written scenarios for the kernel rules the model encodes, each step
// replayed on the model (a step that is not enabled fails the test). The
// sources are torvalds/linux a23e1966 (v6.9+): fs/fuse/iomode.c,
// fs/fuse/file.c fuse_file_mmap, fs/fuse/passthrough.c.

import { describe, expect, it } from 'vitest';
import { finalState, play } from '../../testkit/passthrough-play.js';

const DIO = { flags: 'FOPEN_DIRECT_IO' } as const;
const PT = { flags: 'FOPEN_PASSTHROUGH' } as const;
const CACHING = { flags: 'caching' } as const;

describe('open: fuse_file_io_open', () => {
  it('a direct-io open is neutral, then a passthrough open takes the inode', () => {
    const s = finalState(play('landed', [['Open', DIO], ['Open', PT]]));
    expect(s).toMatchObject({ iocachectr: -1, fb: 1 });
    expect(s.file.map((f: { iomode: string }) => f.iomode)).toEqual(['IOM_NONE', 'IOM_UNCACHED']);
  });

  it('on a passthrough inode every other open is -EIO, direct-io included', () => {
    play('landed', [
      ['Open', PT],
      ['OpenRefused', { ...CACHING, err: 'EIO' }],
      ['OpenRefused', { ...DIO, err: 'EIO' }],
      ['Open', PT], // the same backing id is welcome
    ]);
  });

  it('a passthrough open on a caching inode is -EIO (ETXTBSY inside), with two backing ids -EIO too (EBUSY inside)', () => {
    play('landed', [['Open', CACHING], ['OpenRefused', { ...PT, err: 'EIO' }]]);
    play('landed', [['Open', { ...PT, backing: 1 }], ['OpenRefused', { ...PT, backing: 2, err: 'EIO' }]], { backings: 2 });
  });

  it('a refused open leaves the refusal in the trace and nothing else', () => {
    const t = play('landed', [['Open', CACHING], ['OpenRefused', { ...PT, err: 'EIO' }]]);
    expect(t.at(-1)!.label).toBe('Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO');
    expect(t.at(-1)!.state).toEqual({ ...(t.at(-2)!.state as object), refused: { call: 'Open(FOPEN_PASSTHROUGH)', errno: 'EIO' } });
  });
});

describe('mmap: fuse_file_mmap, in the kernel order', () => {
  it('a direct-io file on a passthrough inode gets -ENODEV, for MAP_PRIVATE too', () => {
    play('landed', [
      ['Open', DIO], ['Open', PT],
      ['MmapRefused', { f: 'file1', sharing: 'MAP_SHARED', err: 'ENODEV' }],
      ['MmapRefused', { f: 'file1', sharing: 'MAP_PRIVATE', err: 'ENODEV' }],
      ['Mmap', { f: 'file2', sharing: 'MAP_SHARED' }], // the passthrough file maps its backing file
    ]);
  });

  it('without FUSE_DIRECT_IO_ALLOW_MMAP, MAP_SHARED of a direct-io file is -ENODEV and MAP_PRIVATE is allowed', () => {
    play('landed', [
      ['Open', DIO],
      ['MmapRefused', { sharing: 'MAP_SHARED', err: 'ENODEV' }],
      ['Mmap', { sharing: 'MAP_PRIVATE' }],
    ], { directIoAllowMmap: 'false' });
  });

  it('only the first MAP_SHARED mmap of a direct-io file counts (fuse_file_cached_io_open is idempotent)', () => {
    const s = finalState(play('landed', [['Open', DIO], ['Mmap', { sharing: 'MAP_SHARED' }], ['Mmap', { sharing: 'MAP_SHARED' }]]));
    expect(s.iocachectr).toBe(1);
  });

  it('vma-close-refcount counts every one instead', () => {
    const s = finalState(play('vma-close-refcount', [['Open', DIO], ['Mmap', { sharing: 'MAP_SHARED' }], ['Mmap', { sharing: 'MAP_SHARED' }]]));
    expect(s.iocachectr).toBe(2);
    expect(s.file[0].iomode).toBe('IOM_NONE');
  });
});

describe('release: fuse_file_put on the last reference', () => {
  it('a page-cache VMA keeps the direct-io file, and its reference, after close(2)', () => {
    const t = play('landed', [['Open', DIO], ['Mmap', { sharing: 'MAP_SHARED' }], ['Close'], ['VmaClose']]);
    expect(t.map((step) => (step.state as { iocachectr: number }).iocachectr)).toEqual([0, 0, 1, 1, 0]);
    expect(finalState(t).file[0].kind).toBe('free');
  });

  it('a backing-file VMA does not keep the passthrough file: closing it detaches the fuse_backing at once', () => {
    const s = finalState(play('landed', [
      ['Open', PT], ['Mmap', { sharing: 'MAP_SHARED' }], ['Close'],
      ['Open', CACHING], // allowed although the backing file is still mapped
    ]));
    expect(s).toMatchObject({ iocachectr: 1, fb: 0 });
    expect(s.vma[0]).toMatchObject({ map: 'backing_file' });
  });

  it('fork shares the struct file: no open runs, and the last of both closes releases', () => {
    const t = play('landed', [['Open', CACHING], ['Fork'], ['Close', { p: 'p1' }], ['Close', { p: 'p2' }]]);
    expect(t.map((step) => (step.state as { iocachectr: number }).iocachectr)).toEqual([0, 1, 1, 1, 0]);
  });
});
