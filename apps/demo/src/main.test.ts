import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finite, minutes, removeRunFolder, runBuiltDemo, type Run } from './test-support/smoke-run.js';

// The CI smoke run: the BUILT entry as a real child process, exactly as `npm start -- --quick` runs it.

let out: string;
let run: Run;

beforeAll(async () => {
  ({ out, run } = await runBuiltDemo(['--quick'], 'graft-demo-smoke-'));
}, 10 * minutes);

afterAll(() => removeRunFolder(out));

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
