import * as tf from '@tensorflow/tfjs';
import { disposeModel, grow } from '@graft/core';
import { getFixture, randomInputs } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { hyperclone } from './hyperclone.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Three SGD steps on a fixed random loss, sum(logits ⊙ c), on every weight of `model`. */
function train(model: tf.LayersModel, inputs: tf.Tensor[]): void {
  const optimizer = tf.train.sgd(0.05);
  const coefficients = tf.randomNormal([inputs[0]!.shape[0], 5, 13], 0, 1, 'float32', 11);
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => {
      optimizer.minimize(() => tf.sum<tf.Scalar>(tf.mul(model.apply(inputs, { training: true }) as tf.Tensor, coefficients)));
    });
  }
  coefficients.dispose();
  optimizer.dispose();
}

/** Largest difference between the two copies (columns j and j + 8) of the token embedding. */
function copyGap(model: tf.LayersModel): number {
  const values = model.getLayer('token_embedding').getWeights()[0]!.arraySync() as number[][];
  return Math.max(...values.flatMap((row) => row.slice(0, 8).map((v, j) => Math.abs(v - row[j + 8]!))));
}

describe('hyperclone copies under training', () => {
  const fixture = getFixture('gpt-1-block-4-heads');

  it('stay identical without noise (deterministic training cannot tell them apart), and learn apart with it', async () => {
    const source = fixture.build();
    const inputs = randomInputs(fixture, 4, 2);
    const plain = await grow(source, hyperclone(), { after: '*' });
    const noisy = await grow(source, hyperclone({ noise: 0.2 }), { after: '*' });
    train(plain.model, inputs);
    train(noisy.model, inputs);
    const moved = tf.tidy(() => plain.model.getLayer('token_embedding').getWeights()[0]!.sub(source.getLayer('token_embedding').getWeights()[0]!.tile([1, 2])).abs().max().arraySync() as number);
    expect(moved).toBeGreaterThan(1e-3);
    expect(copyGap(plain.model)).toBe(0);
    expect(copyGap(noisy.model)).toBeGreaterThan(1e-4);
    [source, plain.model, noisy.model].forEach(disposeModel);
    tf.dispose(inputs);
  });
});
