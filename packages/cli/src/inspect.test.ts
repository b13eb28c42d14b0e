import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFixture, mnistReferenceModel } from '@graft/fixtures';
import type { InspectResult } from './commands/inspect.js';
import { createStrategy, strategyNames } from './strategies.js';
import { refusalLine, runGraft, useModelFolder } from './test-support/graft-process.js';

const folder = useModelFolder('inspect', { reference: mnistReferenceModel, residual: () => getFixture('functional-residual').build() });

describe('graft strategies', () => {
  it('lists every registered strategy by its own name with its description', async () => {
    const run = await runGraft(['strategies', '--json'], folder.root);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const entries = JSON.parse(run.stdout) as { name: string; description: string }[];
    expect(entries.map((e) => e.name)).toEqual(strategyNames());
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(['name', 'description']);
      expect(entry.description).toBe(createStrategy(entry.name).description);
    }
  });

  it('registers each factory under the name its strategy reports', () => {
    for (const name of strategyNames()) expect(createStrategy(name).name).toBe(name);
  });
});

describe('graft inspect', () => {
  it('prints layers with class, output shape and params, and the sites of every strategy', async () => {
    const run = await runGraft(['inspect', 'reference/model.json', '--json'], folder.root);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as InspectResult;
    expect(result.layers).toEqual([
      { name: 'conv_input', className: 'InputLayer', outputShape: [null, 28, 28, 1], params: 0 },
      { name: 'conv', className: 'Conv2D', outputShape: [null, 26, 26, 32], params: 3 * 3 * 32 + 32 },
      { name: 'flatten', className: 'Flatten', outputShape: [null, 26 * 26 * 32], params: 0 },
      { name: 'hidden', className: 'Dense', outputShape: [null, 20], params: 26 * 26 * 32 * 20 + 20 },
      { name: 'output', className: 'Dense', outputShape: [null, 10], params: 20 * 10 + 10 },
    ]);
    expect(Object.keys(result.sites)).toEqual(strategyNames());
    expect(result.sites['dense-identity']).toContain('hidden');
    expect(result.sites['conv-gate']).toEqual(['conv']);
  });

  it('reads a functional model given by its folder, and prints a table without --json', async () => {
    const run = await runGraft(['inspect', 'residual'], folder.root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^layer\s+class\s+output shape\s+params\n/);
    expect(run.stdout).toMatch(/\nadd\s+Add\s+\[null, 8\]\s+0\n/);
    expect(run.stdout).toMatch(/total params: \d+/);
    expect(run.stdout).toMatch(/\n {2}dense-identity {2}/);
  });

  it('refuses a file that is not a model with exit 2 and one line', async () => {
    await fs.writeFile(path.join(folder.root, 'list.json'), '[1, 2, 3]');
    const run = await runGraft(['inspect', 'list.json'], folder.root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toMatch(/^error: .*list\.json holds an array; expected a model\.json object\. \(MODEL_JSON_INVALID\)$/);
  });

  it('has help with an example', async () => {
    const run = await runGraft(['inspect', '--help'], folder.root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: graft inspect \[options\] <model\.json>/);
    expect(run.stdout).toMatch(/Example:\n {2}\$ graft inspect /);
  });
});
