import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finite, minutes, removeRunFolder, runBuiltDemo, type Run } from './test-support/smoke-run.js';

// The CI smoke run of the GPT experiment: the BUILT entry as a real child process, as `npm start -- --experiment
// gpt --quick` runs it.

let out: string;
let run: Run;

beforeAll(async () => {
  ({ out, run } = await runBuiltDemo(['--experiment', 'gpt', '--quick'], 'graft-demo-gpt-smoke-'));
}, 10 * minutes);

afterAll(() => removeRunFolder(out));

function checkPoints(points: unknown, firstStep: number): Record<string, number>[] {
  expect(Array.isArray(points)).toBe(true);
  const list = points as Record<string, number>[];
  expect(list.length).toBeGreaterThan(1);
  expect(list[0]?.['step']).toBe(firstStep);
  for (const [i, p] of list.entries()) {
    expect(Object.keys(p).sort()).toEqual(['flops', 'step', 'testLoss']);
    expect(finite(p['testLoss'])).toBeGreaterThan(0);
    if (i > 0) expect(p['flops']).toBeGreaterThan(list[i - 1]?.['flops'] as number);
  }
  return list;
}

describe('npm start -- --experiment gpt --quick', () => {
  it('exits 0, prints the backend first and the headline numbers', () => {
    expect(run.stderr.split('\n').filter((line) => /error/i.test(line))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^backend: (tensorflow|wasm|cpu) /);
    expect(run.stdout.match(/^Growing preserved the function: /gm)).toHaveLength(2);
    expect(run.stdout).not.toMatch(/NOT PRESERVED/);
    expect(run.stdout).toMatch(/^ {2}block-copy \(1 seed\): final test loss grown \d\.\d{3} vs from scratch \d\.\d{3} at equal FLOPs/m);
    expect(run.stdout).toMatch(/^ {2}hyperclone \(1 seed\): /m);
  });

  it('writes report.json to the contract: loss against cumulative FLOPs, the base\'s training counted for the grown runs', async () => {
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(report['dataset']).toBe('brown');
    expect(typeof report['backend']).toBe('string');
    const experiments = report['experiments'] as Record<string, unknown>[];
    expect(experiments.map((e) => e['strategy'])).toEqual(['block-copy', 'hyperclone']);
    for (const e of experiments) {
      const base = checkPoints(e['base'], 0);
      expect(base[0]?.['flops']).toBe(0);
      const before = e['grownBeforeTraining'] as Record<string, number>;
      expect(Object.keys(before).sort()).toEqual(['maxAbsDiff', 'testLoss']);
      expect(Math.abs(finite(before['testLoss']) - (base.at(-1)?.['testLoss'] as number))).toBeLessThanOrEqual(1e-5);
      expect(finite(before['maxAbsDiff'])).toBeLessThanOrEqual(1e-5);
      const grown = checkPoints(e['grown'], 10);
      expect(grown[0]?.['flops']).toBeGreaterThan(base.at(-1)?.['flops'] as number);
      const scratch = checkPoints(e['scratch'], 0);
      // Equal compute: the from-scratch run ends at (at most one step past) the grown run's cumulative FLOPs.
      expect(scratch.at(-1)?.['flops']).toBeGreaterThanOrEqual(grown.at(-1)?.['flops'] as number);
      expect(e['base']).toEqual(experiments[0]?.['base']);
    }
    expect((report['samples'] as { model: string }[]).map((s) => s.model)).toEqual(['base', 'block-copy grown', 'block-copy from scratch', 'hyperclone grown', 'hyperclone from scratch']);
  });

  it('writes a self-contained report.html with the loss-vs-FLOPs plots and the generated text', async () => {
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('training ');
    expect(html).toContain('<h2>Generated text</h2>');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*https?:\/\//i);
    expect(html).not.toMatch(/<script|<link/i);
  });
});
