// Every numeric option of every command goes through cli/options.ts: the
// same forms accepted, the same one-line message naming the option.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../checker/errors.js';
import { positiveNumber, positiveWholeNumber } from '../../cli/options.js';
import { daxcheck } from '../../testkit/cli.js';

describe('numeric options', () => {
  it('a positive number: fractions yes; zero, negatives, words, blanks and infinity no', () => {
    expect(positiveNumber('--max-seconds', undefined)).toBeUndefined();
    expect(positiveNumber('--max-seconds', '0.5')).toBe(0.5);
    expect(positiveNumber('--max-memory', '8192')).toBe(8192);
    for (const bad of ['0', '-1', 'ten', '', ' ', 'Infinity', 'NaN']) {
      expect(() => positiveNumber('--max-seconds', bad), bad).toThrow(UsageError);
      expect(() => positiveNumber('--max-seconds', bad), bad).toThrow(`--max-seconds takes a positive number, got '${bad}'`);
    }
  });

  it('a positive whole number: decimal digits, at least 1', () => {
    expect(positiveWholeNumber('--workers', undefined)).toBeUndefined();
    expect(positiveWholeNumber('--workers', '2')).toBe(2);
    expect(positiveWholeNumber('--seed', '007')).toBe(7);
    for (const bad of ['0', '-3', '1.5', '1e3', '0x10', 'two', '', ' 2', '99999999999999999999']) {
      expect(() => positiveWholeNumber('--workers', bad), bad).toThrow(`--workers takes a positive whole number (1, 2, 3, ...), got '${bad}'`);
    }
  });

  it.each([
    [['check', 'bench', '--workers', '1.5'], "--workers takes a positive whole number (1, 2, 3, ...), got '1.5'"],
    [['check', 'bench', '--depth', '0'], "--depth takes a positive whole number (1, 2, 3, ...), got '0'"],
    [['check', 'bench', '--max-seconds', 'soon'], "--max-seconds takes a positive number, got 'soon'"],
    [['check', 'bench', '--max-memory', '-5'], "--max-memory takes a positive number, got '-5'"],
    [['check', 'bench', '--progress', '0'], "--progress takes a positive number, got '0'"],
    [['matrix', 'bench', '--max-seconds', '0'], "--max-seconds takes a positive number, got '0'"],
    [['simulate', 'bench', '--runs', 'many'], "--runs takes a positive whole number (1, 2, 3, ...), got 'many'"],
    [['simulate', 'bench', '--depth', '2.5'], "--depth takes a positive whole number (1, 2, 3, ...), got '2.5'"],
    [['simulate', 'bench', '--seed', 'x'], "--seed takes a positive whole number (1, 2, 3, ...), got 'x'"],
  ])('%j exits 2 with one line naming the option', (args, message) => {
    const r = daxcheck(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`daxcheck: error: ${message}\n`);
  });
});
