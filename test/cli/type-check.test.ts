// The type-check of a user's TypeScript file (cli/type-check.ts): `daxcheck`
// resolves to the package's declarations from anywhere, and a file that passed
// is remembered by its content, so that changing it checks it again.

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiModuleUrl } from '../../cli/design-file.js';
import { typeCheck } from '../../cli/type-check.js';

describe('typeCheck', () => {
  it('passes a file outside the repository that imports daxcheck, remembers it, and checks it again once changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-tc-'));
    const cache = join(dir, 'cache');
    const file = join(dir, 'mine.ts');
    writeFileSync(file, "import { bool, type Domain } from 'daxcheck';\nexport const d: Domain = bool;\n");
    await typeCheck([file], apiModuleUrl, cache);
    expect(readdirSync(cache).filter((f) => f.startsWith('typecheck-'))).toHaveLength(1);
    await typeCheck([file], apiModuleUrl, cache);
    expect(readdirSync(cache)).toHaveLength(1);

    writeFileSync(file, "import { bool, type Domain } from 'daxcheck';\nexport const d: Domain = bool;\nexport const n: number = 'one';\n");
    await expect(typeCheck([file], apiModuleUrl, cache)).rejects.toThrow(
      `${relative(process.cwd(), file)}:3:14: Type 'string' is not assignable to type 'number'.`);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('the shipped examples type-check clean; a design may print with console', async () => {
    const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
    const files = readdirSync(examples).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('flip-when-unmapped.ts');
    const cache = join(mkdtempSync(join(tmpdir(), 'daxcheck-tc-')), 'cache');
    for (const f of files) await typeCheck([join(examples, f)], apiModuleUrl, cache);
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-tc-'));
    writeFileSync(join(dir, 'print.ts'), "console.log('loaded');\nexport {};\n");
    await expect(typeCheck([join(dir, 'print.ts')], apiModuleUrl, cache)).resolves.toBeUndefined();
  });

  it('leaves JavaScript alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-tc-'));
    const file = join(dir, 'mine.js');
    writeFileSync(file, "export const n = 1;\nn.push(2);\n");
    await expect(typeCheck([file], apiModuleUrl, join(dir, 'cache'))).resolves.toBeUndefined();
  });
});
