// The files of traces/ that are not TypeScript: the C runtime of the
// reproducer and the trace page, each a file of its own in its own language
// so that what runs is what one reads. tsc does not copy them into dist/, so
// they are read from the source tree the package ships: next to this module
// when it runs from the sources (vitest), in the package's traces/ when it
// runs from dist/traces/.

import { existsSync, readFileSync } from 'node:fs';

/** The text of traces/<path>, e.g. `repro/runtime.c`. */
export function readShipped(path: string): string {
  const url = [new URL(path, import.meta.url), new URL(`../../traces/${path}`, import.meta.url)].find((u) => existsSync(u));
  if (!url) throw new Error(`traces/${path} is missing from the installation`);
  return readFileSync(url, 'utf8');
}

/** `text` with its one `line` (a regular expression) replaced; an error naming the file when the line is not there once. */
export function replaceLine(file: string, text: string, line: RegExp, by: string): string {
  const hits = text.match(new RegExp(line.source, `${line.flags.replace('g', '')}g`))?.length ?? 0;
  if (hits !== 1) throw new Error(`traces/${file}: expected one line matching ${line}, found ${hits}`);
  return text.replace(line, () => by);
}
