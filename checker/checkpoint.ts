// Checkpoint and resume of a breadth-first run (TLC's -recover), at level
// boundaries: there the whole search is the store (fingerprints and parent
// links), the frontier, the findings and the counters, so a run resumed from
// a checkpoint goes on exactly as the uninterrupted run would have, with the
// same counts, verdicts, state ids and traces.
//
// A checkpoint is two files in its directory: checkpoint.bin (the typed
// arrays, back to back) and checkpoint.json (what they are, the counters,
// and the identity of the run: model, design, constants, options). Both are
// written under temporary names and renamed, the JSON last, so a crash while
// writing leaves the previous checkpoint whole.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from './compile.js';
import { UsageError } from './errors.js';
import { modelSignature } from './parallel/protocol.js';

export type { CheckpointOptions } from './context.js';

type Typed = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
const KINDS = { Float64Array, Int32Array, Uint32Array, Uint16Array, Uint8Array } as const;
type KindName = keyof typeof KINDS;

/** What a level boundary holds, as named typed arrays and numbers. */
export interface Snapshot {
  readonly arrays: Readonly<Record<string, Typed>>;
  readonly numbers: Readonly<Record<string, number>>;
}

interface Stored {
  readonly version: 1;
  readonly identity: string;
  readonly numbers: Record<string, number>;
  readonly arrays: Record<string, { kind: KindName; offset: number; length: number }>;
  readonly binBytes: number;
}

const FILE_JSON = 'checkpoint.json';
const FILE_BIN = 'checkpoint.bin';

/** What must be the same for a checkpoint to continue: the model compiled the same way, and the options that change what is found. */
export function runIdentity(cm: CompiledModel, options: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ model: modelSignature(cm), options });
}

export function writeCheckpoint(dir: string, identity: string, snap: Snapshot): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--checkpoint ${dir}: cannot create the directory (${(e as Error).message})`);
  }
  const arrays: Stored['arrays'] = {};
  let offset = 0;
  for (const [name, a] of Object.entries(snap.arrays)) {
    offset = Math.ceil(offset / 8) * 8;
    arrays[name] = { kind: a.constructor.name as KindName, offset, length: a.length };
    offset += a.byteLength;
  }
  const bin = new Uint8Array(offset);
  for (const [name, a] of Object.entries(snap.arrays)) bin.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), arrays[name]!.offset);
  const stored: Stored = { version: 1, identity, numbers: { ...snap.numbers }, arrays, binBytes: offset };
  writeFileSync(join(dir, `${FILE_BIN}.tmp`), bin);
  writeFileSync(join(dir, `${FILE_JSON}.tmp`), JSON.stringify(stored));
  renameSync(join(dir, `${FILE_BIN}.tmp`), join(dir, FILE_BIN));
  renameSync(join(dir, `${FILE_JSON}.tmp`), join(dir, FILE_JSON));
}

export function readCheckpoint(dir: string, identity: string): Snapshot {
  let stored: Stored;
  let bin: Buffer;
  try {
    stored = JSON.parse(readFileSync(join(dir, FILE_JSON), 'utf8')) as Stored;
    bin = readFileSync(join(dir, FILE_BIN));
  } catch (e) {
    throw new UsageError(`--resume ${dir}: no readable checkpoint there (${(e as Error).message.split('\n')[0]}); give a directory written by check --checkpoint`);
  }
  if (stored?.version !== 1 || typeof stored.arrays !== 'object' || bin.byteLength !== stored.binBytes) {
    throw new UsageError(`--resume ${dir}: the checkpoint is damaged or of another version; start the run again`);
  }
  if (stored.identity !== identity) {
    throw new UsageError(`--resume ${dir}: the checkpoint is of another run; resume it with the same model, design, constants and search options (--depth, --property, --continue, --no-deadlock)`);
  }
  const copy = new Uint8Array(bin.byteLength);
  copy.set(bin);
  const arrays: Record<string, Typed> = {};
  for (const [name, a] of Object.entries(stored.arrays)) {
    const Kind = KINDS[a.kind];
    if (!Kind) throw new UsageError(`--resume ${dir}: the checkpoint is damaged (array ${name})`);
    arrays[name] = new Kind(copy.buffer, a.offset, a.length);
  }
  return { arrays, numbers: stored.numbers };
}
