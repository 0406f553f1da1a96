// The trace page in a real browser: the Chromium of @sparticuz/chromium (a
// dev dependency, so npm ci brings it), driven by playwright-core.

import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { daxcheck } from '../../testkit/cli.js';
import { examplesDir, tempDir } from '../../testkit/traces.js';
import { chromiumForTests } from '../../testkit/browser.js';

describe('show --html in Chromium', () => {
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  let html: string;

  beforeAll(async () => {
    dir = tempDir('html');
    html = join(dir, 'flip.html');
    const r = daxcheck('show', join(examplesDir, 'bench.flip-on-ioctl.NoMixedMappings.itf.json'), '--html', html);
    expect(r.code).toBe(0);
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    // A fresh profile directory (Chromium's --user-data-dir), which playwright takes as an argument.
    const { executablePath, args } = await chromiumForTests();
    browser = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...args] });
    page = await browser.newPage();
    // The page is self-contained: any request beyond the file itself is a bug.
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(`file://${html}`);
    expect(requests).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('is one file with no external resource', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  it('opens at the failing step, with the violated property explained there', async () => {
    await expect(page.textContent('#step-title')).resolves.toBe('Step 5: Fault(p1, f1)');
    await expect(page.isVisible('#violation')).resolves.toBe(true);
    await expect(page.textContent('#violation')).resolves.toBe('NoMixedMappings fails here: no file has page-cache pages and DAX entries populated at once');
    await expect(page.textContent('#changes')).resolves.toBe('daxmap[f1]: false → true');
    await expect(page.getAttribute('button.step.fails', 'data-step')).resolves.toBe('5');
  });

  it('clicking through the timeline shows each step\'s changed variables, and no violation before step 5', async () => {
    await page.click('button.step[data-step="4"]');
    await expect(page.textContent('#step-title')).resolves.toBe('Step 4: SetFlag(p1, f1, true)');
    await expect(page.textContent('#step-words')).resolves.toBe('p1: ioctl(fd of f1, FS_IOC_FSSETXATTR, set FS_XFLAG_DAX)');
    const changed = await page.$$eval('#changes li', (lis) => lis.map((li) => li.textContent));
    expect(changed).toEqual(['pflag[f1]: false → true', 'sdax[f1]: false → true']);
    await expect(page.isVisible('#violation')).resolves.toBe(false);

    await page.click('#prev');
    await expect(page.textContent('#step-title')).resolves.toBe('Step 3: Fault(p1, f1)');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.textContent('#step-title')).resolves.toBe('Step 1: Open(p1, f1)');
    expect(await page.$$eval('#changes li', (lis) => lis.map((li) => li.textContent))).toEqual(['cached[f1]: false → true', 'open[p1][f1]: false → true']);
    await page.click('button.step[data-step="0"]');
    await expect(page.isDisabled('#prev')).resolves.toBe(true);
    await expect(page.textContent('#step-words')).resolves.toBe('the initial state');
  });

  it('has a lane per file: f1 changes at every step, f2 never', async () => {
    const lanes = await page.$$eval('tr.lane', (rows) => rows.map((r) => r.getAttribute('data-lane')));
    expect(lanes).toEqual(['f1', 'f2']);
    const marks = (lane: string) => page.$$eval(`tr.lane[data-lane="${lane}"] td.mark`, (tds) => tds.map((td) => td.getAttribute('data-step')));
    await expect(marks('f1')).resolves.toEqual(['1', '2', '3', '4', '5']);
    await expect(marks('f2')).resolves.toEqual([]);
    // The mode of f1 (S_DAX) is seen to change at step 4, highlighted in its row.
    const sdax = await page.$$eval('tr[data-variable="sdax[f1]"] td', (tds) => tds.map((td) => [td.textContent, td.classList.contains('changed')]));
    expect(sdax).toEqual([['false', false], ['false', false], ['false', false], ['false', false], ['true', true], ['true', false]]);
    // The mapping's mode is drawn in the colour of the model's mode (its presentation: DAX first, page cache second).
    const vma = await page.$$eval('tr[data-variable="vma[p1][f1]"] td', (tds) => tds.map((td) => [td.textContent, td.classList.contains('mode-1')]));
    expect(vma).toEqual([['NONE', false], ['NONE', false], ['PC', true], ['PC', true], ['PC', true], ['PC', true]]);
  });

  it('every recorded example renders: one timeline button per step, the failure explained, no script error', { timeout: 180_000 }, async () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.itf.json'));
    for (const f of files) {
      const out = join(dir, `${f}.html`);
      expect(daxcheck('show', join(examplesDir, f), '--html', out).code).toBe(0);
      const p = await browser.newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(`file://${out}`);
      const steps = JSON.parse(readFileSync(join(examplesDir, f), 'utf8')).states.length;
      expect(await p.$$eval('button.step', (b) => b.length), f).toBe(steps);
      await expect(p.textContent('#violation'), f).resolves.toMatch(/fails here/);
      expect(await p.$$eval('tr.lane', (r) => r.length), f).toBeGreaterThan(0);
      expect(errors, f).toEqual([]);
      await p.close();
    }
  });

  it('clicking a lane column selects that step and outlines its cells', async () => {
    await page.click('table.lanes thead th[data-step="2"]');
    await expect(page.textContent('#step-title')).resolves.toBe('Step 2: Mmap(p1, f1)');
    const cur = await page.$$eval('table.lanes td.cur.changed', (tds) => tds.length);
    expect(cur).toBe(1);
    await expect(page.textContent('tr[data-variable="vma[p1][f1]"] td.cur')).resolves.toBe('PC');
  });

  it('draws a lasso: the steps of its cycle marked, and the way back to where it starts', async () => {
    const lasso = join(dir, 'lasso.html');
    expect(daxcheck('show', join(examplesDir, 'dax.virtiofs-v6.ModeConverges.itf.json'), '--html', lasso).code).toBe(0);
    const p = await browser.newPage();
    await p.goto(`file://${lasso}`);
    // Open, SetFlag, Close, then the inode stays stale forever: the cycle is stuttering at step 3.
    expect(await p.$$eval('button.step.cycle', (b) => b.map((x) => x.getAttribute('data-step')))).toEqual(['3']);
    expect(await p.$$eval('table.lanes thead th.cycle', (t) => t.map((x) => x.getAttribute('data-step')))).toEqual(['3']);
    await expect(p.textContent('#loop-back')).resolves.toBe('↻ stays at step 3 forever');
    await expect(p.textContent('#property')).resolves.toMatch(/a lasso: from step 3 on, the cycle repeats forever/);
    await expect(p.textContent('#step-title')).resolves.toMatch(/the loop starts here/);
    await p.close();

    // A cycle of steps: a lasso played with --loop (close and reopen forever under cache=always).
    const played = join(dir, 'played.itf.json');
    expect(daxcheck('play', 'dax', '--design', 'virtiofs-v6', '--init', 'xflagDax=[false] size=[big]', 'Open p=p1 f=f1', 'SetFlag p=p1 f=f1 v=true',
      'Close p=p1 f=f1', 'Open p=p1 f=f1', 'Close p=p1 f=f1', '--loop', '3', '--trace-out', played).code).toBe(0);
    const cyc = join(dir, 'played.html');
    expect(daxcheck('show', played, '--html', cyc).code).toBe(0);
    const q = await browser.newPage();
    await q.goto(`file://${cyc}`);
    expect(await q.$$eval('button.step.cycle', (b) => b.map((x) => x.getAttribute('data-step')))).toEqual(['3', '4', '5']);
    await expect(q.textContent('#loop-back')).resolves.toBe('↻ back to step 3, forever');
    await q.close();
  });
});
