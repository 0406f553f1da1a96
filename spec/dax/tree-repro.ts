// The tree's steps (dirs >= 1, spec/dax/actions/dirs.ts) in words, as C
// (traces/repro/runtime.c, "directories"), and how a conformance run judges
// what the program saw of them. The parent process does every step that
// leaves nothing held (mkdir, the directory's ioctl, rename, cp) and reports
// it as `@obs path fN|dN ...`; Create is the acting process's open(O_CREAT).

import { indexOf, type Expectation, type Observation, type ObservationRules, type ProgramStep, type ShownStep, type StepWords } from '../../checker/presentation.js';

type Step = ShownStep<any>;

const I = (v: unknown) => indexOf(v as string);
const bit = (b: unknown) => (b === true ? '1' : '0');

export const treeWords: Readonly<Record<string, StepWords<any>>> = {
  Create: (s) => `${s.params.p}: fd = open("${s.params.d}/${s.params.f}", O_RDWR|O_CREAT|O_EXCL)`,
  Mkdir: (s) => `mkdir("${s.params.d}") in ${s.params.e}`,
  SetDirFlag: (s) => `ioctl(fd of directory ${s.params.d}, FS_IOC_FSSETXATTR, ${s.params.v === true ? 'set' : 'clear'} FS_XFLAG_DAX)`,
  Rename: (s) => `rename("${s.params.f}" into ${s.params.d})`,
  RenameDir: (s) => `rename(directory ${s.params.d} into ${s.params.e})`,
  Copy: (s) => `cp ${s.params.f} ${s.params.d}/${s.params.g}`,
};

export const treeSteps: Readonly<Record<string, ProgramStep<any>>> = {
  Create: { c: (s) => `create_file(P(${I(s.params.p)}), F(${I(s.params.f)}), ${I(s.params.d)});` },
  Mkdir: { c: (s) => `make_dir(${I(s.params.d)}, ${I(s.params.e)});` },
  SetDirFlag: { c: (s) => `set_dir_flag(${I(s.params.d)}, ${s.params.v === true ? 1 : 0});` },
  Rename: { c: (s) => `rename_file(F(${I(s.params.f)}), ${I(s.params.d)});` },
  RenameDir: { c: (s) => `rename_dir(${I(s.params.d)}, ${I(s.params.e)});` },
  Copy: { c: (s) => `copy_file(F(${I(s.params.f)}), F(${I(s.params.g)}), ${I(s.params.d)});` },
};

/** With the tree, no file exists before step 1 and d1 is made with its initial flag. */
export const treeSetup = (s0: any): readonly string[] =>
  (s0.dirFlag ? [`setup_dir(0, 0, ${s0.dirFlag[0] === true ? 1 : 0}); /* d1: FS_XFLAG_DAX = ${bit(s0.dirFlag[0])} */`] : []);

/** The call each tree step reports, by action, and the file or directory it names. */
const CALL: Readonly<Record<string, (s: Step) => string>> = {
  Create: (s) => `${s.params.p} ${s.params.f} ret`,
  Mkdir: (s) => `path ${s.params.d} ret`,
  SetDirFlag: (s) => `path ${s.params.d} ret`,
  Rename: (s) => `path ${s.params.f} ret`,
  RenameDir: (s) => `path ${s.params.d} ret`,
  Copy: (s) => `path ${s.params.g} ret`,
};

function judgeTree(o: Observation, s: Step): Expectation | undefined {
  const a = s.after;
  if (/^d\d+$/.test(o.file)) {
    const d = indexOf(o.file);
    if (o.what === 'xflag') return { expected: bit(a.dirFlag[d]), agrees: o.value[0] === bit(a.dirFlag[d]) };
    if (o.what === 'ret') return { expected: `${o.value[0]} returns 0`, agrees: o.value[1] === '0' && o.value[2] === '0' };
    return undefined;
  }
  if (o.what === 'ret' && (o.value[0] === 'rename' || o.value[0] === 'copy')) {
    return { expected: `${o.value[0]} returns 0`, agrees: o.value[1] === '0' && o.value[2] === '0' };
  }
  return undefined;
}

/** The flat model's rules, and the tree's on top: the directories' lines and the parent's calls. */
export function withTreeObservations(base: ObservationRules<any>): ObservationRules<any> {
  return {
    judge: (o, s) => judgeTree(o, s) ?? base.judge(o, s),
    required: (s, seen) => {
      const out = [...base.required(s, seen)];
      const call = CALL[s.action];
      if (call) out.push(call(s));
      if (s.action === 'Copy') out.push(`path ${s.params.g} sdax`, `path ${s.params.g} xflag`);
      if (s.action === 'SetDirFlag' || s.action === 'Mkdir' || s.action === 'RenameDir') out.push(`path ${s.params.d} xflag`);
      return out;
    },
  };
}
