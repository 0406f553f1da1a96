// Adds one plain closing line, `N passed, N failed, N skipped`, after vitest's
// own summary, so that tools that read only that line (CI) count the tests.

import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryLine implements Reporter {
  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    // After the default reporter's summary, so this stays the last line.
    await new Promise((resolve) => setTimeout(resolve, 20));
    let passed = 0, failed = 0, skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
