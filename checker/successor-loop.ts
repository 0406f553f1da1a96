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

/**
 * The successor loop of one model, as straight-line JavaScript: one loop per
 * action over that action's instances (they are contiguous in
 * cm.instances, and share the action's guard and effect), each with its own call sites for the action's guard and
 * effect. A single loop over every instance calls a different function at
 * one site on every iteration, which V8 can neither inline nor predict; as
 * SPIN compiles its model into the verifier, this gives each call a site of
 * its own. The semantics are the loop's in the comment of successors().
 */
export function makeSuccessorLoop(cm: CompiledModel, avoided: ReadonlySet<number>, canonical = false): SuccessorLoop {
  const slots = cm.layout.lo.length;
  const ranges: { action: number; from: number; to: number }[] = [];
  cm.instances.forEach((inst, i) => {
    const last = ranges[ranges.length - 1];
    const first = last && cm.instances[last.from]!;
    if (last && first!.action === inst.action && first!.guard === inst.guard && first!.effect === inst.effect && last.to === i) last.to = i + 1;
    else ranges.push({ action: inst.action, from: i, to: i + 1 });
  });
  const lines: string[] = [
    'return function successors(core, out, checkSteps) {',
    '  const cur = core.cur, next = core.next, cv = core.curView, nv = core.nextView, W = core.W, pack = core.packer.pack;',
    '  const words = out.words, outInst = out.inst;',
    // Symmetry: the successor is packed (and bound-checked) as the step made it, the action properties read it so, and then it is replaced by its orbit's canonical form.
    canonical ? '  const canon = core.symmetry.canonicalise;' : '',
    '  let m = 0, enabled = false;',
  ];
  ranges.forEach((r, k) => {
    const hasGuard = cm.instances[r.from]!.guard !== undefined;
    // An avoided action generates nothing; it still counts as enabled, so a state is not taken for a deadlock.
    if (avoided.has(r.action)) {
      lines.push(
        `  for (let i = ${r.from}; i < ${r.to} && !enabled; i++) {`,
        '    const a = P[i];',
        hasGuard ? `    if (!G${k}(cv, a)) continue;` : '',
        '    next.set(cur);',
        `    if (E${k}(nv, a) !== false) enabled = true;`,
        '  }',
      );
      return;
    }
    lines.push(
      `  for (let i = ${r.from}; i < ${r.to}; i++) {`,
      '    const a = P[i];',
      hasGuard ? `    if (!G${k}(cv, a)) continue;` : '',
      '    CP(next, cur);',
      `    if (E${k}(nv, a) === false) continue;`,
      '    enabled = true;',
      '    if (pack(next, words, m * W) >= 0) core.packFailed(i);',
      '    if (checkSteps) core.checkStepInto(i, out, m);',
      canonical ? '    canon(next); pack(next, words, m * W);' : '',
      '    outInst[m++] = i;',
      '  }',
    );
  });
  lines.push('  out.count = m;', '  out.enabled = enabled;', '};');
  const names = ['CP', ...ranges.flatMap((_, k) => [`G${k}`, `E${k}`])];
  const fns = [copier(slots), ...ranges.flatMap((r) => [cm.instances[r.from]!.guard, cm.instances[r.from]!.effect])];
  const source = lines.filter(Boolean).join('\n');
  const key = `${slots}\n${names.join(',')}\n${source}`;
  let factory = factories.get(key);
  if (!factory) {
    // eslint-disable-next-line no-new-func
    factory = new Function('P', ...names, source) as (...args: unknown[]) => SuccessorLoop;
    factories.set(key, factory);
  }
  return factory(cm.instances.map((i) => i.params), ...fns);
}

/**
 * The factories made so far, by their source. Designs of one model mostly
 * have the same instances, so the same source: the loops one factory makes
 * share its feedback and optimised code, and a design checked after another
 * starts with a warm loop instead of a cold one. (The source fixes the code;
 * the guards, effects and parameters are the factory's arguments.)
 */
const factories = new Map<string, (...args: unknown[]) => SuccessorLoop>();

/**
 * Copies the state's slots into the successor's: unrolled for a state of up
 * to 64 slots, which costs less than TypedArray.prototype.set's call into the
 * runtime on every successor; set for larger ones.
 */
function copier(slots: number): Copy {
  const key = slots > 64 ? 0 : slots;
  let copy = copiers.get(key);
  if (!copy) {
    const body = Array.from({ length: key }, (_, i) => `n[${i}] = c[${i}];`).join(' ');
    // eslint-disable-next-line no-new-func
    copy = key === 0 ? (next, cur) => next.set(cur) : new Function('n', 'c', body) as Copy;
    copiers.set(key, copy);
  }
  return copy;
}

type Copy = (next: Int32Array, cur: Int32Array) => void;
/** One copy a size, so that the loops of designs sharing a factory also share the copy it inlines. */
const copiers = new Map<number, Copy>();
