// The machine a conformance run boots: set-up (conform/vm/setup.sh: packages,
// the kernel unpacked, the initramfs base, cached by version), the programs
// built into one static multi-call binary, and one qemu boot that runs every
// program on every file system and returns what they printed. The boot's own
// archive, appended to the base, brings /init (conform/vm/init) with the
// programs, so that the init a run uses is the one in the sources.
//
// qemu: TCG (the /dev/kvm of this machine class is not hardware KVM), an
// emulated NVDIMM backed by a fresh file, made fsdax by init. Programs print
// on a second serial port (ttyS1, a file on the host): no module or guest
// agent is needed, and kernel messages, which go to ttyS0, cannot land
// inside a program's line.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, openSync, closeSync, ftruncateSync, appendFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../checker/errors.js';
import type { BootAttempt, RunId } from './boots.js';
import { runKey } from './parse.js';

export interface Machine {
  readonly dir: string;
  readonly kernel: string;
  readonly kernelPackage: string;
}

export function cacheDir(): string {
  return process.env.DAXCHECK_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'daxcheck', 'vm');
}

/** conform/vm/, from the sources or from dist/conform/. */
function vmDir(): string {
  const dirs = [new URL('./vm/', import.meta.url), new URL('../../conform/vm/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = dirs.find((d) => existsSync(join(d, 'setup.sh')));
  if (!found) throw new Error('conform/vm/setup.sh is missing from the installation');
  return found;
}

/** Runs the set-up (installs and builds only what the cache lacks); exit 2 naming what is missing. */
export function prepareMachine(log: (line: string) => void): Machine {
  const r = spawnSync('bash', [join(vmDir(), 'setup.sh'), cacheDir()], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const errLines = (r.stderr ?? '').split('\n').filter((l) => l.startsWith('conform setup:'));
  for (const l of errLines) log(l);
  if (r.status !== 0) {
    const why = errLines[errLines.length - 1]?.replace(/^conform setup: /, '') ?? `setup.sh exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').pop()}`;
    throw new UsageError(`conformance set-up failed: ${why}`);
  }
  const dir = r.stdout.trim().split('\n').pop()!;
  return {
    dir,
    kernel: readFileSync(join(dir, 'kernel-version'), 'utf8').trim(),
    kernelPackage: readFileSync(join(dir, 'kernel-package'), 'utf8').trim(),
  };
}

export interface Program {
  /** A name for the VM: letters, digits and dashes. */
  readonly name: string;
  readonly source: string;
}

/**
 * Compiles every program into one static binary `run NAME ARGS...`: each
 * source is its own translation unit (the runtime's names are static) with
 * its main renamed, which is much smaller and faster to build than one static
 * binary per trace.
 */
export async function buildPrograms(programs: readonly Program[], work: string): Promise<string> {
  mkdirSync(join(work, 'src'), { recursive: true });
  const files = programs.map((p, k) => {
    const file = join(work, 'src', `t${k}.c`);
    writeFileSync(file, `#define main conform_main_${k}\n${p.source}`);
    return file;
  });
  const table = programs.map((p, k) => `  { ${JSON.stringify(p.name)}, conform_main_${k} },`).join('\n');
  const decls = programs.map((_, k) => `int conform_main_${k}(int, char **);`).join('\n');
  writeFileSync(join(work, 'src', 'dispatch.c'), `#include <stdio.h>
#include <string.h>
${decls}
static const struct { const char *name; int (*main)(int, char **); } programs[] = {
${table}
};
int main(int argc, char **argv)
{
  for (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++)
    if (argc > 1 && strcmp(argv[1], programs[i].name) == 0)
      return programs[i].main(argc - 1, argv + 1);
  fprintf(stderr, "run: no program %s\\n", argc > 1 ? argv[1] : "(none)");
  return 2;
}
`);
  const half = Math.ceil(files.length / 2);
  const batches = [files.slice(0, half), files.slice(half), [join(work, 'src', 'dispatch.c')]].filter((b) => b.length > 0);
  await Promise.all(batches.map((b) => exec('gcc', ['-c', '-O0', '-w', ...b], join(work, 'src'))));
  const objs = [...files.map((f) => f.replace(/\.c$/, '.o')), join(work, 'src', 'dispatch.o')];
  const bin = join(work, 'run');
  await exec('gcc', ['-static', '-o', bin, ...objs], work);
  return bin;
}

function exec(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')}... exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}

/**
 * One boot: the runs in `todo` (each a program on a file system), file system
 * by file system in the order given, the file systems made as `prep` says.
 */
export async function boot(machine: Machine, bin: string, todo: readonly RunId[], work: string, timeoutSeconds: number, prep: readonly string[] = []): Promise<BootAttempt> {
  const fs = [...new Set(todo.map((r) => r.fs))];
  const names = [...new Set(todo.map((r) => r.trace))];
  const wanted = new Set(todo.map(runKey));
  const extra = join(work, 'extra');
  mkdirSync(join(extra, 'conform'), { recursive: true });
  writeFileSync(join(extra, 'conform', 'fs'), fs.join('\n') + '\n');
  // How init makes the file systems (conform/vm/init: a raw namespace, mkfs options); empty for the default.
  writeFileSync(join(extra, 'conform', 'prep'), prep.join(' ') + '\n');
  writeFileSync(join(extra, 'conform', 'traces'), names.join('\n') + '\n');
  // What an earlier boot finished, which init passes over (`fs trace` a line).
  writeFileSync(join(extra, 'conform', 'skip'), fs.flatMap((f) => names.filter((t) => !wanted.has(runKey({ fs: f, trace: t }))).map((t) => `${runKey({ fs: f, trace: t })}\n`)).join(''));
  spawnSync('cp', [bin, join(extra, 'conform', 'run')]);
  spawnSync('install', ['-m', '755', join(vmDir(), 'init'), join(extra, 'init')]);
  const cpio = spawnSync('sh', ['-c', 'find init conform | cpio -o -H newc --quiet | gzip -1'], { cwd: extra, maxBuffer: 1 << 30 });
  if (cpio.status !== 0) throw new Error(`cpio of the programs failed: ${cpio.stderr.toString()}`);
  const initrd = join(work, 'initrd');
  writeFileSync(initrd, readFileSync(join(machine.dir, 'base.cpio.gz')));
  appendFileSync(initrd, cpio.stdout);
  const pmem = join(work, 'pmem.img');
  closeSync(openSync(pmem, 'w'));
  const fd = openSync(pmem, 'r+');
  ftruncateSync(fd, 512 << 20);
  closeSync(fd);
  const out = join(work, 'programs.log');
  const con = join(work, 'console.log');
  const args = [
    '-accel', 'tcg,thread=multi', '-cpu', 'max', '-smp', '2', '-m', '2G,slots=2,maxmem=4G', '-machine', 'pc,nvdimm=on',
    '-object', `memory-backend-file,id=mem1,share=on,mem-path=${pmem},size=512M`, '-device', 'nvdimm,memdev=mem1,id=nv1',
    '-kernel', join(machine.dir, 'vmlinuz'), '-initrd', initrd,
    '-append', 'console=ttyS0 quiet loglevel=3 panic=-1',
    '-display', 'none', '-no-reboot', '-nodefaults', '-serial', `file:${con}`, '-serial', `file:${out}`,
  ];
  const started = performance.now();
  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutSeconds * 1000);
  // Interrupted, the VM goes too (then the signal does what it would have done).
  const onSignal = (sig: NodeJS.Signals) => { child.kill('SIGKILL'); process.kill(process.pid, sig); };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.once(sig, onSignal);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  }).finally(() => { for (const sig of signals) process.removeListener(sig, onSignal); });
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return { output: read(out), seconds, exitCode, timedOut, consoleLog: read(con) + (err ? `\n[qemu stderr] ${err}` : '') };
}
