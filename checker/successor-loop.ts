// The successor loop of one model, generated as JavaScript source (the
// transition core, core.ts, calls it from successors()).

import type { CompiledModel } from './compile.js';
import type { Packer } from './packer.js';

/** What the generated loop reads of the core and writes into its output (core.ts's TransitionCore and Successors). */
export interface LoopCore {
  readonly cur: Int32Array;
  readonly next: Int32Array;
  readonly curView: unknown;
  readonly nextView: unknown;
  readonly W: number;
  readonly packer: Packer;
  readonly symmetry?: { canonicalise(buf: Int32Array): void } | undefined;
  packFailed(i: number): void;
  checkStepInto(i: number, out: LoopOut, m: number): void;
}
export interface LoopOut { count: number; enabled: boolean; readonly words: Uint32Array; readonly inst: Int32Array }

export type SuccessorLoop = (core: LoopCore, out: LoopOut, checkSteps: boolean) => void;

/** Up to this many slots a whole-state copy is written out slot by slot; above it, one TypedArray.set. */
const UNROLLED_COPY_SLOTS = 128;

/**
 * The successor loop of one model, as straight-line JavaScript, generated
 * for the run's options (a reduction that is off leaves no code behind).
 *
 * One function per action, looping over that action's instances (they are
 * contiguous in cm.instances, and share the action's guard and effect),
 * with the pack written out in it: V8 inlines the guard and effect into a
 * small function but not into a big one, nor a function called from many
 * sites, so, as SPIN compiles its model into the verifier, each action's
 * guard and effect get a function and a call site of their own.
 *
 * `next` equals `cur` before every effect. Instead of copying the whole
 * state before each effect, the loop undoes the effect after packing: the
 * XOR of the successor's packed words with the current state's names the
 * fields the step changed, and only those slots are copied back (a step
 * changes a few slots of dozens). An effect that refuses the step, a
 * canonicalised successor (symmetry) and a current state that does not pack
 * get the whole copy. The semantics are the loop's in the comment of
 * successors() (core.ts).
 */
export function makeSuccessorLoop(cm: CompiledModel, avoided: ReadonlySet<number>, canonical: boolean, packer: Packer): SuccessorLoop {
  const ranges: { action: number; from: number; to: number }[] = [];
  cm.instances.forEach((inst, i) => {
    const last = ranges[ranges.length - 1];
    const first = last && cm.instances[last.from]!;
    if (last && first!.action === inst.action && first!.guard === inst.guard && first!.effect === inst.effect && last.to === i) last.to = i + 1;
    else ranges.push({ action: inst.action, from: i, to: i + 1 });
  });
  const slots = cm.layout.slots;
  const W = packer.words;
  const copy = slots <= UNROLLED_COPY_SLOTS
    ? Array.from({ length: slots }, (_, j) => `next[${j}] = cur[${j}];`).join(' ')
    : 'next.set(cur);';
  // Copies back the slots whose fields differ between the successor at words[at] and the current state (cw).
  const undo = Array.from({ length: W }, (_, k) => [
    `    { let d = words[at + ${k}] ^ cw[${k}];`,
    `      while (d !== 0) { const b = 31 - Math.clz32(d & -d); const s = BS${k}[b]; next[s] = cur[s]; d &= ~BM${k}[b]; } }`,
  ].join('\n')).join('\n');
  const src: string[] = [];
  const calls: string[] = [];
  const avoidedCalls: string[] = [];
  ranges.forEach((r, k) => {
    const hasGuard = cm.instances[r.from]!.guard !== undefined;
    const guard = hasGuard ? `    if (!G${k}(cv, a)) continue;` : '';
    // An avoided action generates nothing; it still counts as enabled, so a state is not taken for a deadlock.
    if (avoided.has(r.action)) {
      src.push(
        `function A${k}(cur, next, cv, nv) {`,
        `  for (let i = ${r.from}; i < ${r.to}; i++) {`,
        '    const a = P[i];',
        guard,
        `    const taken = E${k}(nv, a) !== false;`,
        `    ${copy}`,
        '    if (taken) return true;',
        '  }',
        '  return false;',
        '}',
      );
      avoidedCalls.push(`  if (!enabled) enabled = A${k}(cur, next, cv, nv);`);
      return;
    }
    src.push(
      `function A${k}(core, out, cur, next, cv, nv, words, outInst, m, checkSteps, cw, whole) {`,
      `  for (let i = ${r.from}; i < ${r.to}; i++) {`,
      '    const a = P[i];',
      guard,
      `    if (E${k}(nv, a) === false) { ${copy} continue; }`,
      `    const at = m * ${W};`,
      packer.packCode('next', 'words', 'at', 'core.packFailed(i);'),
      '    if (checkSteps) core.checkStepInto(i, out, m);',
      // Symmetry: the successor is packed (and bound-checked) as the step made it, the action properties read it so, and then it is replaced by its orbit's canonical form.
      canonical ? `    core.symmetry.canonicalise(next); core.packer.pack(next, words, at); ${copy}` : `    if (whole) { ${copy} } else {\n${undo}\n    }`,
      '    outInst[m++] = i;',
      '  }',
      '  return m;',
      '}',
    );
    calls.push(`  m = A${k}(core, out, cur, next, cv, nv, words, outInst, m, checkSteps, cw, whole);`);
  });
  src.push(
    'const cw = new Uint32Array(' + W + ');',
    'return function successors(core, out, checkSteps) {',
    '  const cur = core.cur, next = core.next, cv = core.curView, nv = core.nextView;',
    '  const words = out.words, outInst = out.inst;',
    `  ${copy}`,
    // A current state outside its domain (set by hand, not unpacked) is undone by whole copies.
    '  const whole = core.packer.pack(cur, cw, 0) >= 0;',
    '  let m = 0;',
    ...calls,
    '  let enabled = m > 0;',
    ...avoidedCalls,
    '  out.count = m;',
    '  out.enabled = enabled;',
    '};',
  );
  const names = ranges.flatMap((_, k) => [`G${k}`, `E${k}`]);
  const fns = ranges.flatMap((r) => [cm.instances[r.from]!.guard, cm.instances[r.from]!.effect]);
  const bitNames = Array.from({ length: W }, (_, k) => [`BS${k}`, `BM${k}`]).flat();
  const bitTables = Array.from({ length: W }, (_, k) => [packer.bitSlot[k]!, packer.bitMask[k]!]).flat();
  // eslint-disable-next-line no-new-func
  const factory = new Function('P', ...names, ...bitNames, src.filter(Boolean).join('\n')) as (...args: unknown[]) => SuccessorLoop;
  return factory(cm.instances.map((i) => i.params), ...fns, ...bitTables);
}
