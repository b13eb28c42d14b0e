import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CI smoke run: the BUILT entry as a real child process, exactly as `npm start -- --quick` runs it.
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(appDir, 'dist', 'main.js');
const minutes = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let out: string;
let run: Run;

beforeAll(async () => {
  // Build first so a stale dist never passes for the source; nx builds it too, then this is a no-op.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  spawnSync(process.execPath, [tsc, '-b'], { cwd: appDir, stdio: 'ignore' });
  if (!existsSync(main)) throw new Error(`${main} was not built; run npx tsc -b apps/demo and read its errors.`);
  out = join(await mkdtemp(join(tmpdir(), 'graft-demo-smoke-')), 'report');
  run = await new Promise<Run>((resolve) => {
    execFile(process.execPath, [main, '--quick', '--out', out], { cwd: tmpdir(), maxBuffer: 64 * 1024 * 1024, timeout: 9 * minutes }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}, 10 * minutes);

afterAll(async () => {
  if (out !== undefined) await rm(dirname(out), { recursive: true, force: true });
});

const finite = (value: unknown): number => {
  expect(typeof value).toBe('number');
  expect(Number.isFinite(value)).toBe(true);
  return value as number;
};

function checkEpochs(points: unknown, epochs: number): void {
  expect(Array.isArray(points)).toBe(true);
  const list = points as Record<string, unknown>[];
  expect(list.map((p) => p['epoch'])).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
  for (const p of list) {
    expect(Object.keys(p).sort()).toEqual(['epoch', 'testAccuracy', 'testLoss']);
    expect(finite(p['testLoss'])).toBeGreaterThan(0);
    // In percent: a trained model beats 1 % and a fraction would sit below it.
    expect(finite(p['testAccuracy'])).toBeGreaterThan(1);
    expect(p['testAccuracy']).toBeLessThanOrEqual(100);
  }
}

describe('npm start -- --quick', () => {
  it('exits 0 and prints the backend first, with no tfjs banner', () => {
    expect(run.stderr.split('\n').filter((line) => /error/i.test(line))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^backend: (tensorflow|wasm|cpu) /);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Hi there|looks like you are running TensorFlow\.js in Node/i);
  });

  it('prints a table per experiment and measures that growing changed nothing', () => {
    expect(run.stdout.match(/^stage +test loss +test acc % +write-up$/gm)).toHaveLength(2);
    expect(run.stdout.match(/^Growing preserved the function: /gm)).toHaveLength(2);
    expect(run.stdout).not.toMatch(/NOT PRESERVED/);
  });

  it('writes report.json to the contract', async () => {
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(report['dataset']).toBe('mnist');
    expect(typeof report['backend']).toBe('string');
    const experiments = report['experiments'] as Record<string, unknown>[];
    expect(experiments.map((e) => [e['strategy'], e['site']])).toEqual([
      ['dense-identity', 'hidden'],
      ['conv-gate', 'conv'],
    ]);
    for (const experiment of experiments) {
      checkEpochs(experiment['base'], 1);
      checkEpochs(experiment['grown'], 1);
      const base = (experiment['base'] as Record<string, number>[])[0] as Record<string, number>;
      const before = experiment['grownBeforeTraining'] as Record<string, number>;
      expect(Object.keys(before).sort()).toEqual(['maxAbsDiff', 'testAccuracy', 'testLoss']);
      expect(Math.abs(finite(before['testLoss']) - (base['testLoss'] as number))).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(finite(before['testAccuracy']) - (base['testAccuracy'] as number))).toBeLessThanOrEqual(1e-6);
      expect(finite(before['maxAbsDiff'])).toBeLessThanOrEqual(1e-5);
      expect(experiment['base']).toEqual(experiments[0]?.['base']);
    }
  });

  it('writes a self-contained report.html with SVG plots', async () => {
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*https?:\/\//i);
    expect(html).not.toMatch(/<script|<link/i);
  });
});
