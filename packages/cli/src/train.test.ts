import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFixture } from '@graft/fixtures';
import { makeTempDir, refusalLine, runGraft, snapshot, writeModel } from './test-support/graft-process.js';

let root: string;

// Tiny models keep training on the cpu backend to a second or two: a softmax regression on 28×28×1 images and
// a small MLP on flat [784] inputs.
beforeAll(async () => {
  root = await makeTempDir('train');
  await writeModel(
    tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flatten' }), tf.layers.dense({ units: 10, activation: 'softmax', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] }),
    path.join(root, 'images'),
  );
  await writeModel(
    tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 8, activation: 'relu', name: 'hidden', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }), tf.layers.dense({ units: 10, activation: 'softmax', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })] }),
    path.join(root, 'flat'),
  );
  await writeModel(getFixture('dense-chain-relu').build(), path.join(root, 'wrong-shape'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function weightsOf(dir: string): Promise<Buffer> {
  return fs.readFile(path.join(root, dir, 'weights.bin'));
}

describe('graft train', () => {
  it('trains only the layers graft added, keeps the metadata, and prints { backend, workers, epochs, out }', async () => {
    const grow = await runGraft(['grow', 'images', '--strategy', 'dense-identity', '--after', 'flatten', '--out', 'grown', '--json'], root);
    expect(grow.code).toBe(0);
    const { added } = JSON.parse(grow.stdout) as { added: string[] };

    const run = await runGraft(['train', 'grown/model.json', '--data', 'mnist', '--epochs', '1', '--limit', '256', '--batch-size', '64', '--lr', '0.01', '--train', 'new', '--backend', 'cpu', '--seed', '3', '--out', 'trained', '--json'], root);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { backend: string; workers: number; epochs: [{ testAccuracy: number }]; out: string };
    expect(Object.keys(result)).toEqual(['backend', 'workers', 'epochs', 'out']);
    // A 784-unit identity layer at batch 64 is ~236 MFLOP per step: enough for 'auto' to use two cores.
    expect(result.workers).toBe(Math.min(2, availableParallelism()));
    expect(result.backend).toBe('cpu');
    expect(result.out).toBe(path.join(root, 'trained'));
    expect(result.epochs).toHaveLength(1);
    expect(result.epochs[0]).toMatchObject({ epoch: 1, trainable: added });
    expect(result.epochs[0].testAccuracy).toBeGreaterThanOrEqual(0);
    // Progress went to stderr, never the backend line (it is in the JSON), and no tfjs banner.
    expect(run.stderr).toMatch(/^epoch 1\/1 /);
    expect(run.stderr).not.toMatch(/backend:|TensorFlow\.js/);

    const saved = JSON.parse(await fs.readFile(path.join(root, 'trained', 'model.json'), 'utf8')) as { userDefinedMetadata: { graft: { added: string[] } } };
    expect(saved.userDefinedMetadata.graft.added).toEqual(added);
    // weights.bin holds the inserted layer's weights first, then `out`'s kernel and bias, which stayed frozen.
    const [trained, grown] = [await weightsOf('trained'), await weightsOf('grown')];
    const frozenBytes = (784 * 10 + 10) * 4;
    expect(trained.subarray(-frozenBytes)).toEqual(grown.subarray(-frozenBytes));
    expect(trained.subarray(0, -frozenBytes)).not.toEqual(grown.subarray(0, -frozenBytes));
  });

  it('reshapes images for a model on flat [784] inputs, and prints the backend line to stderr', async () => {
    const run = await runGraft(['train', 'flat', '--data', 'fashion-mnist', '--epochs', '1', '--limit', '128', '--backend', 'cpu', '--out', 'flat-trained'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^backend: cpu \(.+\) — cpu was requested; workers: 1 \(auto: ~\d.* MFLOP per step, under 200 MFLOP worth splitting\)\n/);
    expect(run.stdout).toMatch(/^Trained 1 epoch\(s\) on fashion-mnist \(test accuracy \d+\.\d\d%\); saved to .*flat-trained\.\n$/);
  });

  it('trains on worker threads with --workers from the compiled CLI, naming them in the backend line', async () => {
    const run = await runGraft(['train', 'flat', '--data', 'mnist', '--epochs', '1', '--limit', '96', '--batch-size', '32', '--backend', 'cpu', '--workers', '2', '--seed', '1', '--out', 'two-workers'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^backend: cpu \(.+\) — cpu was requested; workers: 2 \(asked for, \d+ cores\)\n/);
    expect(await fs.readFile(path.join(root, 'two-workers', 'model.json'), 'utf8')).toContain('hidden');
  });

  it.each([
    ['a worker count of 0', ['images', '--data', 'mnist', '--epochs', '1', '--workers', '0'], /^error: option '--workers <n>' argument '0' is invalid\. Expected auto or an integer ≥ 1\.$/],
    ['a model that does not fit the data', ['wrong-shape', '--data', 'mnist', '--epochs', '1', '--backend', 'cpu'], /^error: The model takes \[6\] and gives \[4\] \(softmax\); mnist needs one input of \[28,28,1\] or \[784\] and one softmax output of \[10\]\. \(UNSUPPORTED_MODEL\)$/],
    ['an unknown data set', ['images', '--data', 'cifar', '--epochs', '1', '--backend', 'cpu'], /^error: --data cifar is not a data source; expected mnist, fashion-mnist, a \.csv or \.tsv file, a \.txt file \(for a language model with a vocabulary\) or a folder of class folders of images \(DIR\/<class>\/\*\.png\|jpg\|jpeg\)\. \(INVALID_ARGUMENT\)$/],
    ['zero epochs', ['images', '--data', 'mnist', '--epochs', '0'], /^error: option '--epochs <n>' argument '0' is invalid\. Expected an integer ≥ 1\.$/],
    ['an unknown backend', ['images', '--data', 'mnist', '--epochs', '1', '--backend', 'gpu'], /^error: option '--backend <name>' argument 'gpu' is invalid\./],
    ['an unknown layer to train', ['images', '--data', 'mnist', '--epochs', '1', '--limit', '32', '--train', 'nope', '--backend', 'cpu'], /\(UNKNOWN_LAYER\)$/],
  ])('refuses %s with exit 2, writing nothing', async (_name, args, message) => {
    const before = await snapshot(root);
    const run = await runGraft(['train', ...args, '--out', 'refused'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(refusalLine(run)).toMatch(message);
    expect(await snapshot(root)).toEqual(before);
  });

  it('refuses an occupied --out before training', async () => {
    await fs.mkdir(path.join(root, 'busy'));
    await fs.writeFile(path.join(root, 'busy', 'notes.txt'), 'keep');
    const run = await runGraft(['train', 'images', '--data', 'mnist', '--epochs', '1', '--out', 'busy'], root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toMatch(/\(OUTPUT_EXISTS\)$/);
    expect(await fs.readdir(path.join(root, 'busy'))).toEqual(['notes.txt']);
  });
});
