// Passthrough as FUSE_INIT negotiated it (constant passthroughInit): without
// fc->passthrough (no FUSE_PASSTHROUGH in the reply, or max_stack_depth 0;
// fs/fuse/inode.c process_init_reply, v6.12) every FOPEN_PASSTHROUGH open is
// -EIO (fuse_file_passthrough_open: -EINVAL; fs/fuse/iomode.c, a23e1966), and
// nothing else changes.

import { describe, expect, it } from 'vitest';
import { runMatrix } from '../../checker/matrix.js';
import { passthroughModel } from '../../spec/passthrough/index.js';
import { finalState, play } from '../../testkit/passthrough-play.js';

const PT = { flags: 'FOPEN_PASSTHROUGH' } as const;

describe('passthroughInit', () => {
  for (const init of ['not-offered', 'stack-depth-0']) {
    it(`${init}: a passthrough open is -EIO on a fresh inode, caching and direct-io opens go on as before`, () => {
      const t = play('landed', [
        ['OpenRefused', { ...PT, err: 'EIO' }],
        ['Open', { flags: 'FOPEN_DIRECT_IO' }], ['Mmap', { sharing: 'MAP_SHARED' }],
        ['OpenRefused', { ...PT, err: 'EIO' }],
      ], { passthroughInit: init });
      expect(t[1]!.label).toBe('Open(FOPEN_PASSTHROUGH backing_id=1) p1 = -EIO');
      expect(finalState(t)).toMatchObject({ iocachectr: 1, fb: 0 });
      expect(() => play('landed', [['Open', PT]], { passthroughInit: init })).toThrow(/not enabled/);
    });
  }

  it('granted (the default) lets the same open in', () => {
    expect(finalState(play('landed', [['Open', PT]]))).toMatchObject({ iocachectr: -1, fb: 1 });
  });

  it('not-offered: no passthrough open is ever reached, the liveness property is left out, no state has a fuse_backing', () => {
    const m = runMatrix(passthroughModel, { designs: ['landed'], constants: { passthroughInit: 'not-offered' } });
    expect(m.cells.landed!.PassthroughOpened).toEqual({ status: 'vacuous' });
    expect(m.cells.landed!.PassthroughAfterRelease).toBeUndefined();
    expect(m.cells.landed!.PassthroughRefusedWithNoMapping).toEqual({ status: 'reached', traceLength: 1 });
    expect(m.runs[0]!.distinctStates).toBe(25_320);
  });
});

describe('serverOpen=ENOSYS: fc->no_open', () => {
  const noOpen = { serverOpen: 'ENOSYS' };
  it('every open is a caching file without an io mode; the reply\'s flags never exist', () => {
    const t = play('landed', [['Open', { flags: 'caching' }], ['Mmap', { sharing: 'MAP_SHARED' }], ['Open', { flags: 'caching' }], ['Close', { f: 'file1' }]], noOpen);
    expect(t.map((s) => (s.state as { iocachectr: number }).iocachectr)).toEqual([0, 0, 0, 0, 0]);
    expect(finalState(t).file.map((f: { iomode: string }) => f.iomode)).toEqual(['IOM_NONE', 'IOM_NONE']);
    expect(finalState(t).noOpen).toBe(true);
    for (const flags of ['FOPEN_DIRECT_IO', 'FOPEN_PASSTHROUGH']) expect(() => play('landed', [['Open', { flags }]], noOpen)).toThrow(/not enabled/);
  });

  it('the whole state space: 1,744 states, every invariant holds, no passthrough open and no direct-io file', () => {
    const m = runMatrix(passthroughModel, { designs: ['landed'], constants: noOpen });
    for (const p of ['NoCachedAndPassthroughTogether', 'ModeCounterConsistent', 'IocachectrNoUnderflow']) expect(m.cells.landed![p]!.status, p).not.toBe('violated');
    expect(m.cells.landed!.DirectIoMmapped).toEqual({ status: 'vacuous' });
    expect(m.runs[0]!.distinctStates).toBe(1_744);
  });
});
