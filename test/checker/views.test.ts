// Views of a state: a record's accessors sit on a prototype shared by every
// layout with a record of that shape, so code that the designs of a model
// share sees one hidden class of view in all of them (checker/layout.ts).

import { describe, expect, it } from 'vitest';
import { arrayOf, bool, enumOf, indexSet, int, record } from '../../checker/domain.js';
import { Layout } from '../../checker/layout.js';

const inode = () => record({ open: int(0, 3), dax: bool, mode: enumOf('pc', 'dax') });

describe('state views', () => {
  it('two layouts with records of one shape share the prototype, and each view reads and writes its own slots', () => {
    const a = new Layout(record({ n: int(0, 5), inodes: arrayOf(indexSet('f', 2), inode()) }));
    const b = new Layout(record({ n: int(0, 9), inodes: arrayOf(indexSet('f', 2), inode()) }));
    const ba = a.blank(), bb = b.blank();
    const va = a.view(ba) as any, vb = b.view(bb) as any;
    expect(Object.getPrototypeOf(va) === Object.getPrototypeOf(vb)).toBe(true);
    expect(Object.getPrototypeOf(va.inodes[1]) === Object.getPrototypeOf(vb.inodes[0])).toBe(true);
    va.inodes[1].open = 2; va.inodes[1].mode = 1; vb.n = 7; vb.inodes[0].dax = 1;
    expect(Array.from(ba)).toEqual([0, 0, 0, 0, 2, 0, 1]);
    expect(Array.from(bb)).toEqual([7, 0, 1, 0, 0, 0, 0]);
    expect(a.decode(ba)).toEqual({ n: 0, inodes: [{ open: 0, dax: false, mode: 'pc' }, { open: 2, dax: false, mode: 'dax' }] });
  });

  it('records of another shape (names, or which fields are scalars) get a prototype of their own', () => {
    const base = Object.getPrototypeOf(new Layout(inode()).view(new Layout(inode()).blank()));
    const renamed = new Layout(record({ open: int(0, 3), dax: bool, state: enumOf('pc', 'dax') }));
    const reordered = new Layout(record({ dax: bool, open: int(0, 3), mode: enumOf('pc', 'dax') }));
    const nested = new Layout(record({ open: int(0, 3), dax: arrayOf(indexSet('v', 1), bool), mode: enumOf('pc', 'dax') }));
    for (const l of [renamed, reordered, nested]) expect(Object.getPrototypeOf(l.view(l.blank())) === base).toBe(false);
    const v = nested.view(nested.blank()) as any;
    v.mode = 1; v.dax[0] = 1;
    expect(nested.decode(Int32Array.from([0, 1, 1]))).toEqual({ open: 0, dax: [true], mode: 'dax' });
    expect(v.mode).toBe(1);
  });
});
