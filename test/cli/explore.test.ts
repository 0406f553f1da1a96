// `daxcheck explore` driven through its page in Chromium (playwright-core, the trace-page test's Chromium):
// take a few steps, go back, jump, see a property fail, save the path, replay the saved file.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumForTests } from '../../testkit/browser.js';
import { daxcheckIn, emptyDir } from '../../testkit/outside.js';

const bin = fileURLToPath(new URL('../../bin/daxcheck.js', import.meta.url));

describe('daxcheck explore in Chromium', () => {
  let server: ChildProcess;
  let url: string;
  let browser: BrowserContext;
  let page: Page;
  const dir = emptyDir();

  beforeAll(async () => {
    server = spawn(process.execPath, [bin, 'explore', 'dax', '--design', 'flip-on-ioctl', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.once('exit', (code) => reject(new Error(`explore exited with ${code}: ${out}`)));
    });
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    const { executablePath, args } = await chromiumForTests();
    browser = await chromium.launchPersistentContext(profile, { executablePath, headless: true, acceptDownloads: true, args: [...args] });
    page = await browser.newPage();
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  });

  const pathLabels = () => page.locator('#path li .label').allTextContents();
  const take = (label: string) => page.locator('#enabled button', { hasText: label }).first().click();

  it('prints where it listens, on 127.0.0.1 only', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('takes steps, shows kernel words and diffs, goes back and jumps', async () => {
    await page.waitForSelector('#enabled button');
    expect(await page.locator('#title').textContent()).toBe('daxcheck explore: model dax, design flip-on-ioctl');
    expect(await page.locator('#enabled').textContent()).toContain('p1: fd = open("f1", O_RDWR)');
    await take('Open(O_RDWR) p1 f1');
    await page.waitForFunction(() => document.querySelectorAll('#path li').length === 2);
    expect(await page.locator('#path li[data-step="1"] .changed').textContent()).toContain('fd[p1][f1]: "closed" -> "O_RDWR"');
    await take('Mmap(MAP_SHARED) p1 f1');
    await page.waitForFunction(() => document.querySelectorAll('#path li').length === 3);
    await page.click('#back');
    await page.waitForFunction(() => document.querySelectorAll('#path li').length === 2);
    await take('Mmap(MAP_SHARED) p1 f1');
    await page.waitForFunction(() => document.querySelectorAll('#path li').length === 3);
    await page.click('#path li[data-step="1"]');
    await page.waitForFunction(() => document.querySelectorAll('#path li').length === 2);
    expect((await pathLabels()).slice(1)).toEqual(['Lookup(FS_XFLAG_DAX=0) → iget; Open(O_RDWR) p1 f1']);
  });

  it('says which property fails at the current state', async () => {
    await take('SetFlag(FS_XFLAG_DAX=1) p1 f1');
    await page.waitForFunction(() => document.querySelectorAll('#path li').length === 3);
    expect(await page.locator('#props').textContent()).toContain('SDaxStableWhileInUse fails here');
    expect(await page.locator('#props').textContent()).toContain('goal SDaxChanged is reached here');
  });

  it('saves the path as ITF that replay reads and reproduces', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    const file = join(dir, 'explored.itf.json');
    await download.saveAs(file);
    const r = daxcheckIn(dir, 'replay', 'explored.itf.json', '--json');
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: 'dax', design: 'flip-on-ioctl', recordedSteps: 2, verdict: 'reproduces' });
    expect(j.events.map((e: { property: string }) => e.property)).toContain('SDaxStableWhileInUse');
    writeFileSync(join(dir, 'done'), '');
  });

  it('a bad port is exit 2', () => {
    const r = daxcheckIn(dir, 'explore', 'dax', '--port', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("daxcheck: error: --port takes a port number 0..65535, got 'x'\n");
  });
});
