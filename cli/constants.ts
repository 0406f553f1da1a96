// `--const NAME=VALUE` parsing, shared by every command that compiles a model.

import { UsageError } from '../checker/errors.js';

export function collectConst(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  if (!m) throw new UsageError(`--const takes NAME=VALUE (for example --const files=3), got '${value}'`);
  const name = m[1]!;
  if (name in previous) throw new UsageError(`--const ${name} is given twice (${previous[name]} and ${m[2]}); give each constant once`);
  return { ...previous, [name]: m[2]! };
}

/** A repeatable option taking names, also comma-separated (--property A,B --property C). */
export function collectList(option: string): (value: string, previous?: string[]) => string[] {
  return (value, previous = []) => {
    const names = value.split(',').map((s) => s.trim());
    if (names.some((n) => n === '')) throw new UsageError(`${option} takes names, one or more separated by commas, got '${value}'`);
    return [...previous, ...names];
  };
}
