// The README's "Checking your own design" walk, run as written: each `$ daxcheck ...` line of the
// block between `<!-- walk` and `<!-- end walk -->`, in order, in an empty temporary directory
// outside the repository that holds only the shipped example design, with the exit code the line
// says.

import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyDir, exampleDesign, runCommandLine } from '../../testkit/outside.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const block = readme.slice(readme.indexOf('<!-- walk'), readme.indexOf('<!-- end walk -->'));
const lines = block.split('\n').filter((l) => l.startsWith('$ daxcheck ')).map((l) => {
  const m = /^\$ (.*?)\s+# exit (\d)$/.exec(l);
  if (!m) throw new Error(`README walk line without '# exit N': ${l}`);
  return { command: m[1]!, exit: Number(m[2]) };
});

describe('README "Checking your own design"', () => {
  it('names the shipped example and has the walk', () => {
    expect(readme).toContain('[`examples/flip-when-unmapped.ts`](examples/flip-when-unmapped.ts)');
    expect(lines.map((l) => l.command.split(' ')[1])).toEqual(['check', 'check', 'replay', 'play', 'play', 'matrix']);
  });

  it('every command runs from an empty directory outside the repository with the exit code it says', () => {
    const dir = emptyDir();
    expect(dir.startsWith(join(new URL('../..', import.meta.url).pathname))).toBe(false);
    copyFileSync(exampleDesign, join(dir, 'flip-when-unmapped.ts'));
    const outputs = lines.map(({ command, exit }) => {
      const r = runCommandLine(dir, command);
      expect({ command, code: r.code, internal: r.stderr.includes('internal error') }).toEqual({ command, code: exit, internal: false });
      return r.stdout;
    });
    expect(existsSync(join(dir, 'traces/dax.flip-when-unmapped.SDaxStableWhileInUse.itf.json'))).toBe(true);
    // What the README says each step shows.
    expect(outputs[0]).toMatch(/SDaxStableWhileInUse\s+action\s+VIOLATED\s+3 steps/);
    expect(outputs[1]).toContain('Actions avoided: Read');
    expect(outputs[1]).toContain('3. Mmap(MAP_SHARED) p1 f1');
    expect(outputs[1]).toContain('6. WriteData p1 f1');
    expect(outputs[1]).toContain('7. PageFault(read) p1 f1');
    expect(outputs[2]).toContain("Compared on the variables both have; left out: the trace's fsynced (design instantiate-only does not have it).");
    expect(outputs[2]).toContain('Diverges under design instantiate-only: step 2');
    expect(outputs[3]).toContain('2. Fsync p1 f1   p1: fsync(fd of f1)');
    expect(outputs[3]).toContain('expected sDax[f1] = true: yes');
    expect(outputs[4]).toContain('REFUSED by design ebusy-while-mapped');
    expect(outputs[5]).toMatch(/ReadSeesLastWrite\s+holds\s+VIOLATED \(6\)/);
  });
});
