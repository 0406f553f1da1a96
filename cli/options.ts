// Numeric command-line options, parsed in one place so that every command
// accepts the same forms and a bad value gets the same one-line message:
// the option, what it takes, and what was given.

import { UsageError } from '../checker/errors.js';

/** Seconds, MiB: any positive number, fractions allowed (`--max-seconds 0.5`). */
export function positiveNumber(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} takes a positive number, got '${raw}'`);
  return n;
}

/** Intervals where 0 means "every time": 0 or any positive number. */
export function nonNegativeNumber(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${option} takes a number of at least 0, got '${raw}'`);
  return n;
}

/** Counts, depths, seeds: 1, 2, 3, ... in decimal digits. */
export function positiveWholeNumber(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`${option} takes a positive whole number (1, 2, 3, ...), got '${raw}'`);
  return n;
}
