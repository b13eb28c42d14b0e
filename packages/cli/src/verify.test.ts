import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import type { VerifyResult } from './commands/verify.js';
import { makeTempDir, refusalLine, runGraft, snapshot, writeModel } from './test-support/graft-process.js';

let root: string;

beforeAll(async () => {
  root = await makeTempDir('verify');
  await writeModel(getFixture('dense-chain-relu').build(1), path.join(root, 'a'));
  await writeModel(getFixture('dense-chain-relu').build(1), path.join(root, 'same'));
  await writeModel(getFixture('dense-chain-relu').build(7), path.join(root, 'other'));
  await writeModel(getFixture('conv-valid-strides').build(1), path.join(root, 'conv'));
  // The same model with its last bias moved by 1e-4: a tiny change only the tolerance decides about.
  const nudged = getFixture('dense-chain-relu').build(1);
  const last = nudged.layers[nudged.layers.length - 1] as tf.layers.Layer;
  const [kernel, bias] = last.getWeights() as [tf.Tensor, tf.Tensor];
  last.setWeights([kernel, tf.add(bias, tf.tensor1d([1e-4, 0, 0, 0]))]);
  await writeModel(nudged, path.join(root, 'nudged'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('graft verify', () => {
  it('exits 0 with { maxAbsDiff, argmaxAgreement, samples } for the same function', async () => {
    const run = await runGraft(['verify', 'a/model.json', 'same/model.json', '--samples', '16', '--json'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ maxAbsDiff: 0, argmaxAgreement: 1, samples: 16 });
  });

  it('exits 1 when predictions differ, still printing the measurement', async () => {
    const run = await runGraft(['verify', 'a/model.json', 'other/model.json', '--json'], root);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as VerifyResult;
    expect(Object.keys(result)).toEqual(['maxAbsDiff', 'argmaxAgreement', 'samples']);
    expect(result.maxAbsDiff).toBeGreaterThan(1e-3);
    expect(result.argmaxAgreement).toBeGreaterThanOrEqual(0);
    expect(result.argmaxAgreement).toBeLessThan(1);
    expect(result.samples).toBe(64);
    expect(refusalLine(run)).toMatch(/^error: Predictions changed: .+ on 64 samples\./);
  });

  it('decides a tiny difference by --tolerance, relative to the largest output', async () => {
    const strict = await runGraft(['verify', 'a', 'nudged', '--json'], root);
    expect(strict.code).toBe(1);
    expect((JSON.parse(strict.stdout) as VerifyResult).maxAbsDiff).toBeGreaterThan(1e-5);
    const loose = await runGraft(['verify', 'a', 'nudged', '--tolerance', '1e-2'], root);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/^max \|difference\|: .+\nargmax agreement: 100\.00% of 64 samples\npreserved\n$/);
  });

  it('refuses models of different shapes with exit 2', async () => {
    const before = await snapshot(root);
    const run = await runGraft(['verify', 'a/model.json', 'conv/model.json'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(refusalLine(run)).toBe("error: The models' inputs differ: [null, 6] vs [null, 11, 11, 1]; expected two models with the same input and output shapes. (INVALID_ARGUMENT)");
    expect(await snapshot(root)).toEqual(before);
  });

  it('refuses a bad --samples with the parser\'s message', async () => {
    const run = await runGraft(['verify', 'a', 'same', '--samples', '-3'], root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toBe("error: option '--samples <n>' argument '-3' is invalid. Expected an integer ≥ 1.");
  });

  it('refuses a missing second model', async () => {
    const run = await runGraft(['verify', 'a', 'missing/model.json'], root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toMatch(/\(MODEL_NOT_FOUND\)$/);
  });
});
