// `--const NAME=VALUE` parsing, shared by every command that compiles a model.

import { UsageError } from '../checker/errors.js';

export function collectConst(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  if (!m) throw new UsageError(`--const takes NAME=VALUE (for example --const files=3), got '${value}'`);
  return { ...previous, [m[1]!]: m[2]! };
}

export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}
