// Adds one plain closing line, `N passed, N failed, N skipped`, after vitest's
// own summary, so that tools that read only that line (CI) count the tests.
// A file that fails outside its tests (it does not load, a hook throws) and
// an error outside any file count as failed too: the line never says
// "0 failed" when vitest reports a failure.

import type { Reporter, TestModule } from 'vitest/node';

/** What the closing line needs of a test module (vitest's TestModule has it). */
export type ModuleLike = Pick<TestModule, 'children' | 'state' | 'errors'>;

export function summaryLine(modules: ReadonlyArray<ModuleLike>, unhandledErrors: ReadonlyArray<unknown> = []): string {
  let passed = 0, failed = 0, skipped = 0;
  for (const m of modules) {
    let failedHere = 0;
    for (const t of m.children.allTests()) {
      const s = t.result().state;
      if (s === 'passed') passed++;
      else if (s === 'failed') failedHere++;
      else skipped++;
    }
    // a file whose own code or hooks failed: one failure, unless its tests already count one
    if (failedHere === 0 && (m.state() === 'failed' || m.errors().length > 0)) failedHere = 1;
    failed += failedHere;
  }
  failed += unhandledErrors.length;
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

export default class SummaryLine implements Reporter {
  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): Promise<void> {
    // After the default reporter's summary, so this stays the last line.
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.stdout.write(`\n${summaryLine(modules, unhandledErrors)}\n`);
  }
}
