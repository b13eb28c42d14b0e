import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from '@graft/conformance/checks';
import { launchChromium } from './test-support/chromium.js';
import { serveFolder } from './test-support/static-server.js';

// Drives the built page in Debian's chromium: load the reference model, grow it, check predictions are unchanged
// in the page, fine-tune a few steps, save to IndexedDB and reload. GRAFT_WEB_SCREENSHOTS=1 also writes docs/*.png.
const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = process.env['GRAFT_WEB_SCREENSHOTS'] === '1';
let browser: Browser;
let page: Page;
let server: Awaited<ReturnType<typeof serveFolder>>;
const pageErrors: string[] = [];

async function shoot(name: string, { clip = false } = {}): Promise<void> {
  if (!screenshots) return;
  mkdirSync(path.join(app, 'docs'), { recursive: true });
  await page.screenshot({ path: path.join(app, 'docs', `${name}.png`), fullPage: !clip });
}

async function reach(stage: string): Promise<void> {
  await page.waitForFunction((wanted) => document.body.dataset['stage'] === wanted || document.body.dataset['error'] !== undefined, stage, { timeout: 60_000 });
  expect(await page.evaluate(() => document.body.dataset['error'])).toBeUndefined();
}

beforeAll(async () => {
  // Builds the packages (tsc -b through the project references), the assets and the page, as `npm run web` does.
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: app, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  server = await serveFolder(path.join(app, 'dist', 'site'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.setDefaultTimeout(60_000); // the page's buttons stay disabled while a step runs; a loaded machine is slow
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await reach('ready');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the graft page in chromium', () => {
  it('starts TensorFlow.js on the backend it picks and says which', async () => {
    const backend = await page.getAttribute('#backend', 'data-backend');
    expect(['webgl', 'wasm', 'cpu']).toContain(backend);
    expect(await page.textContent('#backend')).toContain(`Backend: ${backend}`);
  });

  it('loads the reference model over HTTP and lists its layers with the sites of each strategy', async () => {
    await page.click('#load');
    await reach('loaded');
    const rows = await page.$$eval('#layers tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['conv', 'flatten', 'hidden', 'output']));
    expect(rows.find((r) => r[0] === 'hidden')?.[4]).toContain('dense-identity');
    expect(rows.find((r) => r[0] === 'conv')?.[4]).toContain('conv-gate');
    await shoot('1-loaded', { clip: true });
  });

  it('grows it in the page and the grown model predicts what the original did', async () => {
    await page.selectOption('#strategy', 'dense-identity');
    await page.selectOption('#site', 'hidden');
    await page.click('#grow-button');
    await reach('grown');
    const backend = await page.getAttribute('#backend', 'data-backend');
    const delta = Number(await page.getAttribute('#max-delta', 'data-value'));
    const maxAbsY = Number(await page.getAttribute('#max-delta', 'data-max-abs-y'));
    // CPU and WASM compute an identity Dense exactly in float32: 0. WebGL may run at lower precision, so there the
    // bound is the conformance suite's float tolerance relative to the largest prediction.
    if (backend === 'webgl') expect(delta).toBeLessThanOrEqual(DEFAULT_TOLERANCE * maxAbsY);
    else expect(delta).toBe(0);
    expect(maxAbsY).toBeGreaterThan(0);
    expect(await page.getAttribute('#max-delta', 'data-ok')).toBe('true');
    expect(await page.textContent('#grow-status')).toContain('hidden_identity');
    await shoot('2-grown', { clip: true });
  });

  it('fine-tunes a few steps with a progress bar and a loss plot', async () => {
    const wanted = screenshots ? 40 : 6; // a longer curve for the README's picture
    await page.fill('#steps', String(wanted));
    await page.fill('#batch', screenshots ? '32' : '16');
    await page.click('#train-button');
    await reach('trained');
    const steps = Number(await page.getAttribute('#train-status', 'data-steps'));
    const losses = [await page.getAttribute('#train-status', 'data-first-loss'), await page.getAttribute('#train-status', 'data-last-loss')].map(Number);
    expect(steps).toBe(wanted);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(await page.$eval('#progress', (p) => (p as HTMLProgressElement).value)).toBe(wanted);
    expect(await page.$$eval('#loss-plot polyline.loss', (lines) => lines[0]?.getAttribute('points')?.split(' ').length)).toBe(wanted);
  });

  it('saves the grown model to IndexedDB and reloads the same predictions', async () => {
    await page.click('#save-indexeddb');
    await reach('saved');
    expect(Number(await page.getAttribute('#save-status', 'data-reloaded-delta'))).toBe(0);
    expect(await page.$$eval('#saved option', (options) => options.map((o) => o.textContent))).toContain('graft-grown');
    await shoot('3-fine-tuned-and-saved');
  });

  it('loads the same model from files chosen on disk (tf.io.browserFiles)', async () => {
    const folder = path.join(app, 'generated', 'models', 'mnist-reference');
    await page.check('input[name=source][value=files]');
    await page.setInputFiles('#files', [path.join(folder, 'weights.bin'), path.join(folder, 'model.json')]);
    await page.click('#load');
    await reach('loaded');
    expect(await page.textContent('#model-status')).toMatch(/^Loaded files from disk: 4 layers, 433,190 parameters/);
    expect(await page.isHidden('#exactness')).toBe(true);
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
