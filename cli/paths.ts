// Output paths, checked before any work starts: a run must not search for an
// hour and then lose its verdict to a directory it cannot write. Each check
// names the option and the path, and says what is needed.

import { accessSync, constants, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../checker/errors.js';

/** File systems that hold no user files: writing there fails, blocks, or changes the kernel. */
const SPECIAL_FS: Readonly<Record<number, string>> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x73636673: 'securityfs',
  0x63677270: 'cgroup2', 0x27e0eb: 'cgroup', 0xcafe4a11: 'bpf', 0x42494e4d: 'binfmt_misc', 0x6e736673: 'nsfs',
  0x1cd1: 'devpts', 0x50495045: 'pipefs', 0x534f434b: 'sockfs', 0xde5e81e4: 'efivarfs', 0x67596969: 'rpc_pipefs',
};

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined; // a parent is not a directory: found below
    throw new UsageError(`cannot use ${path}: ${(e as Error).message}`);
  }
}

/** The nearest existing ancestor of `path` (itself included) and its stat. */
function nearestExisting(path: string): { at: string; stat: Stats } {
  let at = resolve(path);
  for (;;) {
    const stat = statOf(at);
    if (stat) return { at, stat };
    const up = dirname(at);
    if (up === at) throw new UsageError(`cannot use ${path}: no part of it exists`);
    at = up;
  }
}

function refuseSpecial(option: string, path: string, at: string): void {
  let type: number;
  try {
    type = Number(statfsSync(at).type);
  } catch {
    return; // no statfs here: nothing to refuse on
  }
  const name = SPECIAL_FS[type];
  if (name) throw new UsageError(`${option} ${path}: ${at} is on ${name}, a kernel file system; give a path on a disk`);
}

function refuseUnwritable(option: string, path: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${option} ${path}: the directory ${dir} is not writable`);
  }
}

/** A directory that is there or can be made (--trace-out DIR). */
export function checkOutputDir(option: string, dir: string): void {
  if (dir.trim() === '') throw new UsageError(`${option} takes a directory, got ''`);
  const { at, stat } = nearestExisting(dir);
  if (!stat.isDirectory()) {
    throw new UsageError(at === resolve(dir) ? `${option} ${dir}: not a directory; give a directory (it is made if missing)` : `${option} ${dir}: ${at} is a file, not a directory`);
  }
  refuseSpecial(option, dir, at);
  refuseUnwritable(option, dir, at);
}

/** A file to write in an existing directory (show --html FILE, repro -o FILE); a character device (/dev/stdout) is fine too. */
export function checkOutputFile(option: string, file: string): void {
  if (file.trim() === '') throw new UsageError(`${option} takes a file name, got ''`);
  const full = resolve(file);
  const stat = statOf(full);
  if (stat?.isDirectory()) throw new UsageError(`${option} ${file}: is a directory; give a file name`);
  if (stat && !stat.isFile() && !stat.isCharacterDevice()) throw new UsageError(`${option} ${file}: not a regular file; give a file name`);
  const dir = dirname(full);
  const parent = statOf(dir);
  if (!parent) throw new UsageError(`${option} ${file}: the directory ${dirname(file)} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`${option} ${file}: ${dirname(file)} is not a directory`);
  refuseSpecial(option, file, dir);
  if (stat) {
    try { accessSync(full, constants.W_OK); } catch { throw new UsageError(`${option} ${file}: the file is not writable`); }
  } else {
    refuseUnwritable(option, file, dir);
  }
}
