// The verdict table fits the terminal (issue 10): wider than COLUMNS, its
// designs are split over several tables; --json keeps every name whole.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMatrix } from '../../checker/matrix.js';
import { formatMatrix, narrowHeader, outputWidth } from '../../cli/matrix.js';
import { daxModel } from '../../spec/dax/index.js';

const bin = fileURLToPath(new URL('../../bin/daxcheck.js', import.meta.url));
const m = runMatrix(daxModel, {});
const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('the verdict table and the terminal width', () => {
  it.each([60, 80, 120])('at %i columns no line is wider, and every design and property is there', (width) => {
    const text = formatMatrix(m, false, width);
    expect(widest(text)).toBeLessThanOrEqual(width);
    for (const d of m.designs) for (const part of narrowHeader(d).split('\n')) expect(text).toContain(part);
    for (const p of m.properties) expect(text.split('\n').filter((l) => l.trimStart().startsWith(`${p} `)).length).toBeGreaterThan(1);
  });

  it('with room enough it stays one table, as before', () => {
    const text = formatMatrix(m, false);
    expect(text.match(/^\s+property\s/gm)).toHaveLength(1);
    expect(widest(text)).toBeGreaterThan(120);
  });

  it('the width is the terminal\'s, else $COLUMNS, else 80', () => {
    expect(outputWidth({ isTTY: true, columns: 132 })).toBe(132);
    const saved = process.env.COLUMNS;
    try {
      process.env.COLUMNS = '100';
      expect(outputWidth({ isTTY: false })).toBe(100);
      delete process.env.COLUMNS;
      expect(outputWidth({ isTTY: false })).toBe(80);
    } finally {
      if (saved === undefined) delete process.env.COLUMNS; else process.env.COLUMNS = saved;
    }
  });

  it('daxcheck matrix under COLUMNS=70 fits; its --json has the full design names', () => {
    const env = { ...process.env, NO_COLOR: '1', COLUMNS: '70' };
    const text = spawnSync(process.execPath, [bin, 'matrix', 'dax'], { encoding: 'utf8', env });
    expect(text.status).toBe(0);
    expect(widest(text.stdout)).toBeLessThanOrEqual(70);
    const json = spawnSync(process.execPath, [bin, 'matrix', 'dax', '--json'], { encoding: 'utf8', env });
    expect(JSON.parse(json.stdout)[0].designs).toEqual(m.designs);
    expect(m.designs).toContain('virtiofs-dontcache-at-ioctl');
  });
});
