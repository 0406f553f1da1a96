// The open-flag constants and the backing-id lifecycle, replayed step by
// step (fs/fuse/iomode.c, fs/fuse/file.c, fs/fuse/passthrough.c, v6.12):
// - passthroughDirectIo: FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO is a passthrough
//   open whose mmap maps the backing file and whose read/write go to the server;
// - keepCache: FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE is outside
//   FOPEN_PASSTHROUGH_MASK, so open(2) is -EIO;
// - userODirect: O_DIRECT without FOPEN_DIRECT_IO is a caching open (caching
//   io mode: a passthrough open is refused) whose read/write go to the server;
// - backingIds=ioctl: ids are registered and closed by the server; a closed
//   id stays alive for the files using it, new opens naming it are -EIO, and a
//   new id is another fuse_backing, -EIO while the old one is attached.

import { describe, expect, it } from 'vitest';
import { runMatrix } from '../../checker/matrix.js';
import { passthroughModel } from '../../spec/passthrough/index.js';
import { finalState, play } from '../../testkit/passthrough-play.js';

const PTDIO = { flags: 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO' } as const;
const PT = { flags: 'FOPEN_PASSTHROUGH' } as const;
const ODIRECT = { flags: 'caching+O_DIRECT' } as const;

describe('passthroughDirectIo: FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO', () => {
  const on = { passthroughDirectIo: 'true' };
  it('is a passthrough open: IOM_UNCACHED, fi->fb attached; mmap maps the backing file; read/write go to the server; a caching open is -EIO', () => {
    const t = play('landed', [
      ['Open', PTDIO], ['DirectIo', { f: 'file1' }], ['Mmap', { sharing: 'MAP_SHARED' }],
      ['OpenRefused', { flags: 'caching', err: 'EIO' }], ['OpenRefused', { flags: 'FOPEN_DIRECT_IO', err: 'EIO' }],
      ['Open', PT], ['Close', { f: 'file1' }], ['Close', { f: 'file2' }],
    ], on);
    const after = (i: number) => t[i]!.state as any;
    expect(after(1)).toMatchObject({ iocachectr: -1, fb: 1 });
    expect(after(1).file[0]).toMatchObject({ kind: 'FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO', iomode: 'IOM_UNCACHED', backingId: 1 });
    expect(t[2]!.label).toBe('Read/Write file1 -> server (FOPEN_DIRECT_IO)');
    expect(after(3).vma.filter((v: any) => v.map === 'backing_file')).toHaveLength(1);
    expect(after(6)).toMatchObject({ iocachectr: -2, fb: 1 });
    expect(finalState(t)).toMatchObject({ iocachectr: 0, fb: 0 });
    // Its read/write are not the backing file's.
    expect(() => play('landed', [['Open', PTDIO], ['PassthroughIo', { f: 'file1' }]], on)).toThrow(/step 2/);
  });

  it('is refused beside a caching open, as FOPEN_PASSTHROUGH is', () => {
    const t = play('landed', [['Open', { flags: 'caching' }], ['OpenRefused', { ...PTDIO, err: 'EIO' }]], on);
    expect(t[2]!.label).toBe('Open(FOPEN_PASSTHROUGH|FOPEN_DIRECT_IO backing_id=1) p1 = -EIO');
  });

  it('does not exist at the default constants', () => {
    expect(() => play('landed', [['Open', PTDIO]])).toThrow(/not enabled/);
    expect(() => play('landed', [['Open', { flags: 'FOPEN_DIRECT_IO' }], ['DirectIo', { f: 'file1' }]])).toThrow(/step 2/);
  });
});

describe('keepCache: FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE', () => {
  it('open(2) is -EIO on a fresh inode, and nothing changes', () => {
    const t = play('landed', [['OpenRefused', { flags: 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE', err: 'EIO' }], ['Open', PT]], { keepCache: 'true' });
    expect(t[1]!.state).toMatchObject({ iocachectr: 0, fb: 0 });
    expect(finalState(t)).toMatchObject({ iocachectr: -1, fb: 1 });
    expect(() => play('landed', [['Open', { flags: 'FOPEN_PASSTHROUGH|FOPEN_KEEP_CACHE' }]], { keepCache: 'true' })).toThrow(/not enabled/);
  });
});

describe('keepCache: the page cache across opens', () => {
  const on = { keepCache: 'true' };
  const read = (t: ReturnType<typeof play>, i: number) => (t[i]!.state as { read: string }).read;
  const stale = [['Open', { flags: 'caching' }], ['PageCacheIo', { f: 'file1' }], ['ServerChangesData', {}], ['Close', { f: 'file1' }]] as const;
  it('an open without FOPEN_KEEP_CACHE drops the page (invalidate_inode_pages2): the next read is the server\'s data; with it the read is stale', () => {
    const fresh = play('landed', [...stale, ['Open', { flags: 'caching' }], ['PageCacheIo', { f: 'file1' }]], on);
    expect([read(fresh, 2), read(fresh, 6)]).toEqual(['current', 'current']);
    const kept = play('landed', [...stale, ['Open', { flags: 'caching|FOPEN_KEEP_CACHE' }], ['PageCacheIo', { f: 'file1' }]], on);
    expect(read(kept, 6)).toBe('stale');
    expect(kept[6]!.label).toBe('Read/Write file1 -> page cache');
    // Stale without any open too: FUSE's page cache is not coherent with a server that changes its data.
    const open = play('landed', [['Open', { flags: 'caching' }], ['PageCacheIo', { f: 'file1' }], ['ServerChangesData', {}], ['PageCacheIo', { f: 'file1' }]], on);
    expect(read(open, 4)).toBe('stale');
  });

  it('a passthrough open between (its reply has no FOPEN_KEEP_CACHE, it cannot have one) drops the page too; so does a direct-io file\'s mmap', () => {
    const t = play('landed', [...stale, ['Open', PT], ['Close', { f: 'file1' }], ['Open', { flags: 'caching|FOPEN_KEEP_CACHE' }], ['PageCacheIo', { f: 'file1' }]], on);
    expect(read(t, 8)).toBe('current');
    const m = play('landed', [...stale, ['Open', { flags: 'FOPEN_DIRECT_IO|FOPEN_KEEP_CACHE' }], ['Open', { flags: 'caching|FOPEN_KEEP_CACHE' }], ['PageCacheIo', { f: 'file2' }],
      ['Mmap', { f: 'file1', sharing: 'MAP_PRIVATE' }], ['PageCacheIo', { f: 'file2' }]], on);
    expect([read(m, 7), read(m, 9)]).toEqual(['stale', 'current']);
  });

  it('O_DIRECT\'s write drops the written range (generic_file_direct_write), its read does not fill the page', () => {
    const t = play('landed', [...stale.slice(0, 3), ['Open', ODIRECT], ['DirectIo', { f: 'file2' }], ['PageCacheIo', { f: 'file1' }]], { ...on, userODirect: 'true' });
    expect((t[5]!.state as { pageCache: string }).pageCache).toBe('empty');
    expect(read(t, 6)).toBe('current');
  });
});

describe('userODirect: O_DIRECT without FOPEN_DIRECT_IO', () => {
  const on = { userODirect: 'true' };
  it('takes caching io mode (a passthrough open is -EIO until its release); its read/write go to the server, not the page cache', () => {
    const t = play('landed', [
      ['Open', ODIRECT], ['DirectIo', { f: 'file1' }], ['OpenRefused', { ...PT, err: 'EIO' }],
      ['Close', { f: 'file1' }], ['Open', PT],
    ], on);
    expect(t[1]!.state).toMatchObject({ iocachectr: 1, fb: 0 });
    expect((t[1]!.state as any).file[0]).toMatchObject({ kind: 'caching+O_DIRECT', iomode: 'IOM_CACHED' });
    expect(t[2]!.label).toBe('Read/Write file1 -> server (O_DIRECT: fuse_direct_IO)');
    expect(finalState(t)).toMatchObject({ iocachectr: -1, fb: 1 });
    expect(() => play('landed', [['Open', ODIRECT], ['PageCacheIo', { f: 'file1' }]], on)).toThrow(/step 2/);
  });

  it('its mmap is a page-cache mapping, as a caching file\'s', () => {
    const t = play('landed', [['Open', ODIRECT], ['Mmap', { sharing: 'MAP_SHARED' }], ['Close', { f: 'file1' }], ['Fault', { v: 'vma1' }]], on);
    expect(finalState(t).vma[0]).toMatchObject({ map: 'MAP_SHARED' });
    expect(finalState(t).iocachectr).toBe(1);
  });
});

describe('backingIds=ioctl: FUSE_DEV_IOC_BACKING_OPEN / _CLOSE', () => {
  const ioctl = { backingIds: 'ioctl' };
  it('an open naming an id not yet given is -EIO; after BACKING_OPEN it opens; closing the id leaves the open file working; new opens with it are -EIO; a second close is -ENOENT', () => {
    const t = play('landed', [
      ['OpenRefused', { ...PT, err: 'EIO' }], ['BackingCloseRefused', { id: 1, err: 'ENOENT' }],
      ['BackingOpen', { id: 1 }], ['Open', PT], ['BackingClose', { id: 1 }],
      ['PassthroughIo', { f: 'file1' }], ['Mmap', { sharing: 'MAP_SHARED' }],
      ['OpenRefused', { ...PT, err: 'EIO' }], ['BackingCloseRefused', { id: 1, err: 'ENOENT' }],
      ['Close', { f: 'file1' }],
    ], ioctl);
    expect(t[3]!.label).toBe('BackingOpen (server) = backing_id 1');
    expect(t[5]!.state).toMatchObject({ fb: 1, backingMap: ['closed'] });
    expect(finalState(t)).toMatchObject({ iocachectr: 0, fb: 0 });
    expect(finalState(t).vma[0]).toMatchObject({ map: 'backing_file' });
    expect(() => play('landed', [['BackingOpen', { id: 1 }], ['BackingOpen', { id: 1 }]], ioctl)).toThrow(/step 2/);
  });

  it('backings=2: a new id for the backing file is another fuse_backing, -EIO (EBUSY inside) while the closed one is attached, accepted after the last release', () => {
    const t = play('landed', [
      ['BackingOpen', { id: 1 }], ['Open', { ...PT, backing: 1 }], ['BackingClose', { id: 1 }], ['BackingOpen', { id: 2 }],
      ['OpenRefused', { ...PT, backing: 2, err: 'EIO' }], ['Close', { f: 'file1' }], ['Open', { ...PT, backing: 2 }],
    ], { ...ioctl, backings: 2 });
    expect(t[5]!.state).toMatchObject({ fb: 1, backingMap: ['closed', 'registered'] });
    expect(finalState(t)).toMatchObject({ fb: 2, iocachectr: -1 });
  });

  it('without fc->passthrough both ioctls are -EPERM', () => {
    const t = play('landed', [['BackingOpenRefused', { err: 'EPERM' }], ['BackingCloseRefused', { id: 1, err: 'EPERM' }]], { ...ioctl, passthroughInit: 'not-offered' });
    expect(t[1]!.label).toBe('BackingOpen (server) = -EPERM');
    expect(() => play('landed', [['BackingOpen', { id: 1 }]], { ...ioctl, passthroughInit: 'not-offered' })).toThrow(/not enabled/);
  });
});

describe('each constant on its own: the invariants hold (the strict reading aside), its goal is reached', () => {
  const cases: [Record<string, string>, Record<string, number>, number][] = [
    [{ passthroughDirectIo: 'true' }, { PassthroughDirectIoMapsBackingFile: 2 }, 96_328],
    [{ keepCache: 'true' }, { KeepCachePassthroughRefused: 1, StaleReadThroughPageCache: 4 }, 229_266],
    [{ userODirect: 'true' }, { ODirectOpenRefusesPassthrough: 2 }, 100_414],
    [{ backingIds: 'ioctl' }, { PassthroughOnClosedBackingId: 3 }, 193_354],
  ];
  for (const [constants, goals, states] of cases) {
    it(`${JSON.stringify(constants)}: ${JSON.stringify(goals)} (steps), ${states} states`, () => {
      const m = runMatrix(passthroughModel, { designs: ['landed'], constants });
      const cells = m.cells.landed!;
      for (const p of ['NoCachedAndPassthroughTogether', 'ModeCounterConsistent', 'IocachectrNoUnderflow']) expect(cells[p], p).toEqual({ status: 'holds' });
      for (const [goal, steps] of Object.entries(goals)) expect(cells[goal], goal).toEqual({ status: 'reached', traceLength: steps });
      expect(m.runs[0]!.distinctStates).toBe(states);
    });
  }
});
