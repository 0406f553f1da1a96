// The closing line CI reads counts every failure vitest reports (issue 10:
// it said "243 passed, 0 failed" while a test file failed to load).

import { describe, expect, it } from 'vitest';
import { summaryLine, type ModuleLike } from '../../vitest.summary-line.js';

type State = 'passed' | 'failed' | 'skipped' | 'pending';
const fakeModule = (tests: State[], state: string = tests.includes('failed') ? 'failed' : 'passed', errors: unknown[] = []): ModuleLike => ({
  children: { allTests: function* () { for (const s of tests) yield { result: () => ({ state: s }) }; } },
  state: () => state,
  errors: () => errors,
} as unknown as ModuleLike);

describe('the closing summary line', () => {
  it('counts tests by state', () => {
    expect(summaryLine([fakeModule(['passed', 'passed', 'skipped']), fakeModule(['failed', 'passed'])])).toBe('3 passed, 1 failed, 1 skipped');
  });

  it('counts a file that failed to load (no tests, state failed) as failed', () => {
    expect(summaryLine([fakeModule(['passed']), fakeModule([], 'failed', [new Error('Cannot find package')])])).toBe('1 passed, 1 failed, 0 skipped');
  });

  it('counts a file whose hook failed while its tests were skipped', () => {
    expect(summaryLine([fakeModule(['skipped', 'skipped'], 'failed', [new Error('beforeAll failed')])])).toBe('0 passed, 1 failed, 2 skipped');
  });

  it('counts an error outside any file', () => {
    expect(summaryLine([fakeModule(['passed'])], [new Error('unhandled rejection')])).toBe('1 passed, 1 failed, 0 skipped');
  });
});
