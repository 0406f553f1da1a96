// The benchmark model DaxModes(F, P, design), exactly as defined in
// bench/dax-modes-bench.md, so that its distinct state counts can be
// compared with SPIN's and TLC's on the same definition. It is a deliberately
// small abstraction of per-inode DAX switching; the full model is spec/dax.

import { arrayOf, bool, enumOf, indexSet, record } from '../../checker/domain.js';
import { actionsOf, defineModel, intConstant, type DesignInfo } from '../../checker/model.js';
import type { View } from '../../checker/layout.js';
import { benchPresentation } from './kernel-words.js';

const constants = {
  files: intConstant(1, 4, 2, 'number of files F'),
  procs: intConstant(1, 4, 2, 'number of processes P'),
};

/** A process's mapping of a file: none, through DAX, or through the page cache. */
export const Vma = enumOf('NONE', 'DAX', 'PC');

function schemaFor(F: number, P: number) {
  const Files = indexSet('f', F);
  const Procs = indexSet('p', P);
  return {
    Files, Procs,
    schema: record({
      pflag: arrayOf(Files, bool),
      cached: arrayOf(Files, bool),
      sdax: arrayOf(Files, bool),
      dontcache: arrayOf(Files, bool),
      pages: arrayOf(Files, bool),
      daxmap: arrayOf(Files, bool),
      open: arrayOf(Procs, arrayOf(Files, bool)),
      vma: arrayOf(Procs, arrayOf(Files, Vma)),
    }),
  };
}
type Schema = ReturnType<typeof schemaFor>['schema'];
type S = View<Schema>;
const action = actionsOf<Schema>();

/** The benchmark's two designs differ in one choice. */
interface BenchDesign extends DesignInfo {
  /** SetFlag flips S_DAX at once and a fault follows the inode (2017), instead of waiting for the next instantiation. */
  readonly flipsAtIoctl: boolean;
}

function build(c: { files: number; procs: number }, d: BenchDesign) {
  const { Files, Procs, schema } = schemaFor(c.files, c.procs);
  const P = c.procs;
  const PF = { p: Procs, f: Files };

  const unreferenced = (s: S, f: number) => {
    for (let p = 0; p < P; p++) if (s.open[p]![f] === 1 || s.vma[p]![f] !== Vma.NONE) return false;
    return true;
  };
  const drop = (s: S, f: number) => {
    s.cached[f] = 0; s.sdax[f] = 0; s.dontcache[f] = 0; s.pages[f] = 0; s.daxmap[f] = 0;
  };
  const dropIfDontCache = (s: S, f: number) => {
    if (s.dontcache[f] === 1 && unreferenced(s, f)) drop(s, f);
  };

  // Every step reads and writes one file's variables (its own and every process's mapping of it) and nothing else.
  const onFile = ({ f }: { readonly f: number }) => [f];
  const actions = {
    Open: action({
      params: PF,
      touches: onFile,
      guard: (s, { p, f }) => s.open[p]![f] === 0,
      effect: (s, { p, f }) => {
        s.open[p]![f] = 1;
        if (s.cached[f] === 0) { s.cached[f] = 1; s.sdax[f] = s.pflag[f]!; s.dontcache[f] = 0; }
      },
    }),
    Close: action({
      params: PF,
      touches: onFile,
      guard: (s, { p, f }) => s.open[p]![f] === 1 && s.vma[p]![f] === Vma.NONE,
      effect: (s, { p, f }) => { s.open[p]![f] = 0; dropIfDontCache(s, f); },
    }),
    Mmap: action({
      params: PF,
      touches: onFile,
      guard: (s, { p, f }) => s.open[p]![f] === 1 && s.vma[p]![f] === Vma.NONE,
      effect: (s, { p, f }) => { s.vma[p]![f] = s.sdax[f] === 1 ? Vma.DAX : Vma.PC; },
    }),
    Munmap: action({
      params: PF,
      touches: onFile,
      guard: (s, { p, f }) => s.vma[p]![f] !== Vma.NONE,
      effect: (s, { p, f }) => { s.vma[p]![f] = Vma.NONE; dropIfDontCache(s, f); },
    }),
    Fault: d.flipsAtIoctl
      ? action({
        params: PF,
      touches: onFile,
        guard: (s, { p, f }) => s.vma[p]![f] !== Vma.NONE && (s.sdax[f] === 1 ? s.daxmap[f] === 0 : s.pages[f] === 0),
        effect: (s, { f }) => { if (s.sdax[f] === 1) s.daxmap[f] = 1; else s.pages[f] = 1; },
      })
      // instantiate-only: the vma decides what a fault populates.
      : action({
        params: PF,
      touches: onFile,
        guard: (s, { p, f }) => {
          const v = s.vma[p]![f];
          return (v === Vma.DAX && s.daxmap[f] === 0) || (v === Vma.PC && s.pages[f] === 0);
        },
        effect: (s, { p, f }) => { if (s.vma[p]![f] === Vma.DAX) s.daxmap[f] = 1; else s.pages[f] = 1; },
      }),
    SetFlag: action({
      params: { ...PF, v: bool },
      touches: onFile,
      guard: (s, { p, f, v }) => s.open[p]![f] === 1 && s.pflag[f] !== v,
      // instantiate-only: S_DAX waits for the next instantiation.
      effect: d.flipsAtIoctl
        ? (s, { f, v }) => { s.pflag[f] = v; s.sdax[f] = v; }
        : (s, { f, v }) => { s.pflag[f] = v; s.dontcache[f] = 1; },
    }),
    Evict: action({
      params: { f: Files },
      touches: onFile,
      guard: (s, { f }) => s.cached[f] === 1 && unreferenced(s, f),
      effect: (s, { f }) => drop(s, f),
    }),
  };

  return {
    schema,
    init: { params: {}, effect: () => {} },
    actions,
    properties: {
      NoMixedMappings: {
        kind: 'invariant' as const,
        doc: 'no file has page-cache pages and DAX entries populated at once',
        holds: (s: S) => {
          for (let f = 0; f < c.files; f++) if (s.pages[f] === 1 && s.daxmap[f] === 1) return false;
          return true;
        },
      },
    },
    checkDeadlock: false,
  };
}

export const benchModel = defineModel({
  name: 'bench',
  summary: 'DaxModes(F, P): the cross-checker benchmark of bench/dax-modes-bench.md',
  constants,
  build,
  defaultDesign: 'instantiate-only',
  presentation: benchPresentation,
  // Files never interact, and every process runs the same code: renaming either changes nothing (bench/dax-modes-bench.md).
  symmetric: ['f', 'p'],
  components: 'f',
  designs: {
    'instantiate-only': { summary: 'S_DAX changes only when the inode is next instantiated; a fault follows its vma', flipsAtIoctl: false },
    'flip-on-ioctl': {
      summary: 'the 2017 behaviour: SetFlag flips S_DAX at once and the fault path reads the inode, not the vma',
      flipsAtIoctl: true,
    },
  },
});
