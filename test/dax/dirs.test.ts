// Directories (dirs >= 1, spec/dax/tree.ts): hand-written scenarios replayed
// on the model, each step required to be enabled, with the outcomes the
// kernel source gives (ext4 __ext4_new_inode / EXT4_FL_INHERITED, xfs
// xfs_inode_init / xfs_inode_inherit_flags2, then S_DAX at once; rename
// changes no flag), and the same tour judged against what Linux 6.12.117 did
// on ext4 and xfs (the fixture, from `conform dax --const dirs=3 --const
// files=2 --trace`).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../checker/compile.js';
import { modelNamed } from '../../cli/registry.js';
import { judgeBoot, type Case } from '../../conform/run.js';
import { daxModel } from '../../spec/dax/index.js';
import { lastState as last, playDax, playable, type Move } from '../../testkit/dax-play.js';

/** `moves` from the initial state with d1's flag `rootFlag`. */
const play = (moves: readonly Move[], constants: Record<string, string | number>, rootFlag = false) => playDax(moves, constants, { rootFlag });
const enabled = (moves: readonly Move[], constants: Record<string, string | number>, rootFlag = false) => playable(moves, constants, { rootFlag });

const TREE = { dirs: 3, files: 2 };

describe('inheritance at creation (dax.rst "Summary" 3)', () => {
  it('a file created in a FS_XFLAG_DAX directory has the flag and is S_DAX at once (no eviction, no reopen)', () => {
    const t = play([['Create', { p: 'p1', f: 'f1', d: 'd1' }]], TREE, true);
    expect(last(t)).toMatchObject({ xflagDax: [true, false], sDax: [true, false], inode: ['cached', 'never'], exists: [true, false] });
    expect(t.steps.at(-1)!.label).toBe('Create p1 f1 in d1 → FS_XFLAG_DAX=1 (the directory\'s), S_DAX=1');
  });

  it('dax.rst example A: a directory made after the parent\'s flag was set inherits it, one made before does not', () => {
    const t = play([
      ['Mkdir', { d: 'd2', e: 'd1' }], // a/b, before chattr +x a
      ['SetDirFlag', { d: 'd1', v: true }],
      ['Mkdir', { d: 'd3', e: 'd1' }], // a/e
    ], TREE);
    expect(last(t).dirFlag).toEqual([true, false, true]);
  });

  it('changing a directory\'s flag changes no file in it, and files=2 is no product: two files born in one directory share its flag', () => {
    const t = play([
      ['Create', { p: 'p1', f: 'f1', d: 'd1' }],
      ['SetDirFlag', { d: 'd1', v: true }],
      ['Create', { p: 'p2', f: 'f2', d: 'd1' }],
    ], TREE);
    expect(last(t)).toMatchObject({ xflagDax: [false, true], sDax: [false, true] });
    // Without the SetDirFlag between them, they are born alike, whichever value d1 has.
    for (const root of [false, true]) {
      const s = last(play([['Create', { p: 'p1', f: 'f1', d: 'd1' }], ['Create', { p: 'p2', f: 'f2', d: 'd1' }]], TREE, root));
      expect(s.xflagDax).toEqual([root, root]);
    }
  });

  it('the mount option overrides S_DAX, not the inheritance (dax.rst: the flag is set "even if ... overridden with a mount option")', () => {
    expect(last(play([['Create', { p: 'p1', f: 'f1', d: 'd1' }]], { ...TREE, mount: 'never' }, true))).toMatchObject({ xflagDax: [true, false], sDax: [false, false] });
    expect(last(play([['Create', { p: 'p1', f: 'f1', d: 'd1' }]], { ...TREE, mount: 'always' }, false))).toMatchObject({ xflagDax: [false, false], sDax: [true, false] });
  });
});

describe('rename and copy', () => {
  it('rename keeps the inode\'s flag and S_DAX, whatever the new directory\'s flag', () => {
    const t = play([
      ['Create', { p: 'p1', f: 'f1', d: 'd1' }],
      ['Mkdir', { d: 'd2', e: 'd1' }],
      ['SetDirFlag', { d: 'd2', v: true }],
      ['Rename', { f: 'f1', d: 'd2' }],
    ], TREE);
    expect(last(t)).toMatchObject({ parent: ['d2', 'd1'], xflagDax: [false, false], sDax: [false, false] });
  });

  it('rename of a file not in memory looks it up: iget reads the file\'s own flag, not the new parent\'s', () => {
    const t = play([
      ['Create', { p: 'p1', f: 'f1', d: 'd1' }], ['Close', { p: 'p1', f: 'f1' }], ['DropCaches', { f: 'f1' }],
      ['Mkdir', { d: 'd2', e: 'd1' }], ['SetDirFlag', { d: 'd2', v: true }],
      ['Rename', { f: 'f1', d: 'd2' }],
    ], TREE);
    expect(t.steps.at(-1)!.label).toBe('Lookup(FS_XFLAG_DAX=0) → iget; Rename f1 d1 → d2 (FS_XFLAG_DAX=0, S_DAX=0 kept)');
    expect(last(t)).toMatchObject({ inode: ['cached', 'never'], sDax: [false, false] });
  });

  it('cp gives the copy the target directory\'s flag, not the source\'s, and the source\'s data', () => {
    const t = play([
      ['Create', { p: 'p1', f: 'f1', d: 'd1' }], ['Write', { p: 'p1', f: 'f1' }],
      ['Mkdir', { d: 'd2', e: 'd1' }], ['SetDirFlag', { d: 'd2', v: false }],
      ['Copy', { f: 'f1', g: 'f2', d: 'd2' }],
      ['Open', { p: 'p2', f: 'f2' }], ['Read', { p: 'p2', f: 'f2' }],
    ], TREE, true);
    const s = last(t);
    expect(s).toMatchObject({ xflagDax: [true, false], sDax: [true, false], lastWrite: [1, 1], pageCache: ['none', 'dirty'], pageVersion: [0, 1] });
  });

  it('a directory moves with its flag; it cannot move below itself, and a name cannot be created twice', () => {
    const moves: Move[] = [['Mkdir', { d: 'd2', e: 'd1' }], ['Mkdir', { d: 'd3', e: 'd2' }], ['SetDirFlag', { d: 'd3', v: true }], ['RenameDir', { d: 'd3', e: 'd1' }]];
    expect(last(play(moves, TREE))).toMatchObject({ dirParent: ['d1', 'd1', 'd1'], dirFlag: [false, false, true] });
    expect(enabled([['Mkdir', { d: 'd2', e: 'd1' }], ['Mkdir', { d: 'd3', e: 'd2' }], ['RenameDir', { d: 'd2', e: 'd3' }]], TREE)).toBe(false);
    expect(enabled([['Create', { p: 'p1', f: 'f1', d: 'd1' }], ['Create', { p: 'p2', f: 'f1', d: 'd1' }]], TREE)).toBe(false);
    expect(enabled([['Open', { p: 'p1', f: 'f1' }]], TREE)).toBe(false);
  });
});

describe('behind its constant', () => {
  it('dirs=0 (the default) has the flat schema and initial states; dirs>0 leaves virtiofs designs flat, and says so', () => {
    const flat = compile(daxModel, 'instantiate-only', {});
    expect(flat.layout.slotNames.some((n) => n.startsWith('exists'))).toBe(false);
    expect(flat.inits).toHaveLength(4);
    const tree = compile(daxModel, 'instantiate-only', { dirs: 2 });
    expect(tree.inits).toHaveLength(2);
    const v6 = compile(daxModel, 'virtiofs-v6', { dirs: 2 });
    expect(v6.layout.slotNames.some((n) => n.startsWith('exists'))).toBe(false);
    expect(v6.notes.dirs).toMatch(/not modelled on virtiofs/);
  });
});

describe('on Linux 6.12.117, ext4 and xfs (recorded)', () => {
  const TOUR: Move[] = [
    ['Create', { p: 'p1', f: 'f1', d: 'd1' }], ['Write', { p: 'p1', f: 'f1' }],
    ['Mkdir', { d: 'd2', e: 'd1' }], ['SetDirFlag', { d: 'd2', v: false }],
    ['Copy', { f: 'f1', g: 'f2', d: 'd2' }], ['Rename', { f: 'f1', d: 'd2' }],
    ['Close', { p: 'p1', f: 'f1' }], ['DropCaches', { f: 'f1' }],
    ['Open', { p: 'p1', f: 'f1' }], ['Read', { p: 'p1', f: 'f1' }],
    ['Open', { p: 'p2', f: 'f2' }], ['Read', { p: 'p2', f: 'f2' }],
    ['Mkdir', { d: 'd3', e: 'd2' }], ['RenameDir', { d: 'd3', e: 'd1' }],
    ['SetFlag', { p: 'p1', f: 'f1', v: false }], ['Close', { p: 'p1', f: 'f1' }],
    ['Statx', { f: 'f1' }],
  ];
  const log = readFileSync(new URL('../conform/fixtures/dirs-tour.kernel.log', import.meta.url), 'utf8');
  const caseOf = (): Case => {
    const { cm, steps } = play(TOUR, TREE, true);
    return { name: 't0', trace: { steps, variables: cm.layout.slotNames }, judgedBy: cm, origin: 'dirs tour', saved: { source: 'dirs tour', meta: { constants: cm.constants }, vars: [], steps: [] } };
  };

  it('every step of the tour agrees: inheritance at create, mkdir and cp, the flag kept by rename, S_DAX at once', () => {
    const r = judgeBoot(modelNamed('dax'), [caseOf()], ['ext4', 'xfs'], log);
    expect(r.perFs.map((f) => [f.fs, f.steps, f.agreed, f.disagreements.length])).toEqual([['ext4', 17, 17, 0], ['xfs', 17, 17, 0]]);
  });

  it('a model in which the copy kept its source\'s flag would be caught at the copy', () => {
    const wrong = log.replace(/@obs path f2 xflag 0/g, '@obs path f2 xflag 1');
    const r = judgeBoot(modelNamed('dax'), [caseOf()], ['ext4', 'xfs'], wrong);
    expect(r.perFs.map((f) => f.disagreements.map((d) => [d.step, d.observed.find((o) => o.agrees === false)?.line]))).toEqual([[[5, 'path f2 xflag 1']], [[5, 'path f2 xflag 1']]]);
  });

  it('a kernel that gave the new file S_DAX only at the next iget would be caught at the create', () => {
    const wrong = log.replace(/(@step 1 [^\n]*\n(?:@obs [^\n]*\n)*?@obs p1 f1 sdax )1/g, '$10');
    const r = judgeBoot(modelNamed('dax'), [caseOf()], ['ext4', 'xfs'], wrong);
    expect(r.perFs.map((f) => f.disagreements[0]?.step)).toEqual([1, 1]);
  });
});
