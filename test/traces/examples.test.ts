// Every recorded counterexample in traces/examples replays against its own
// design (it must reproduce) and against the design that fixed it (it must
// diverge, at the step the manifest says).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelOfTrace } from '../../cli/registry.js';
import { loadTrace } from '../../traces/load.js';
import { compileFor, replay } from '../../traces/replay.js';
import { examplesDir } from '../../testkit/traces.js';

interface Fix { fixedBy: string | null; why?: string; alsoFailsUnder?: string[]; divergesAt?: number; refusedAt?: number | null; refusedBy?: string }
const manifest = JSON.parse(readFileSync(join(examplesDir, 'fixes.json'), 'utf8')) as Record<string, Fix>;
const files = readdirSync(examplesDir).filter((f) => f.endsWith('.itf.json')).sort();

describe('recorded counterexamples', () => {
  it('every example has an entry in fixes.json, and every entry a file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !(f in manifest))).toEqual([]);
    expect(Object.keys(manifest).filter((k) => k !== '//' && !files.includes(k))).toEqual([]);
  });

  for (const file of files) {
    const fix = manifest[file];
    it(`${file} reproduces under its own design`, () => {
      const saved = loadTrace(join(examplesDir, file));
      const r = replay(compileFor(modelOfTrace(saved), saved, {}), saved);
      expect(r.design).toBe(saved.meta.design);
      expect(r.verdict).toBe('reproduces');
      const at = r.events.find((e) => e.property === saved.meta.property);
      expect(at?.step).toBe(saved.meta.violatingStep);
    });
    if (!fix) continue;
    if (fix.fixedBy === null) {
      it(`${file}: no built-in design fixes it; it replays and fails under ${(fix.alsoFailsUnder ?? []).join(', ')} too`, () => {
        expect(fix.why?.length).toBeGreaterThan(20);
        const saved = loadTrace(join(examplesDir, file));
        for (const d of fix.alsoFailsUnder ?? []) {
          const r = replay(compileFor(modelOfTrace(saved), saved, { design: d }), saved);
          expect(r.verdict, d).toBe('reproduces');
        }
      });
      continue;
    }
    it(`${file} diverges under ${fix.fixedBy} at step ${fix.divergesAt}`, () => {
      const saved = loadTrace(join(examplesDir, file));
      const r = replay(compileFor(modelOfTrace(saved), saved, { design: fix.fixedBy! }), saved);
      expect(r.verdict).toBe('diverges');
      const first = Math.min(r.stateDivergence?.step ?? Infinity, r.refusal?.step ?? Infinity);
      expect(first).toBe(fix.divergesAt);
      expect(r.refusal?.step ?? null).toBe(fix.refusedAt ?? null);
      if (fix.refusedBy) expect(r.refusal?.action).toBe(fix.refusedBy);
      expect(r.events.some((e) => e.property === saved.meta.property)).toBe(false);
    });
  }
});
