import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { makeOptimizer, optimizerState, restoreOptimizerState } from './optimizer.js';

function steps(optimizer: tf.Optimizer, variable: tf.Variable, count: number): void {
  for (let i = 0; i < count; i++) optimizer.minimize(() => tf.sum(tf.square(variable)), false, [variable]);
}

function bits(tensor: unknown): string {
  return Buffer.from((tensor as tf.Tensor).dataSync().slice().buffer).toString('hex');
}

describe('optimizer state', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const name of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`restores ${name} so that further steps are bit-identical`, async () => {
      const a = tf.variable(tf.tensor1d([1, -2, 3]));
      const b = tf.variable(tf.tensor1d([1, -2, 3]));
      const original = makeOptimizer(name, 1e-2).optimizer;
      steps(original, a, 20);
      b.assign(a);
      const restored = makeOptimizer(name, 1e-2).optimizer;
      await restoreOptimizerState(restored, await optimizerState(original), 'test');
      steps(original, a, 20);
      steps(restored, b, 20);
      expect(bits(b)).toBe(bits(a));
      tf.dispose([a, b]);
      original.dispose();
      restored.dispose();
    });
  }

  it("keeps Adam's beta powers bit for bit, which tfjs's own setWeights does not", async () => {
    const variable = tf.variable(tf.tensor1d([1, 2, 3]));
    const original = tf.train.adam(1e-3);
    // After 8 steps, 0.9 multiplied 8 times and pow(0.9, 9) differ in float32 (checked: they do on the cpu backend).
    steps(original, variable, 8);
    const hidden = original as unknown as Record<string, tf.Tensor>;
    const plain = tf.train.adam(1e-3);
    await plain.setWeights(await original.getWeights());
    const plainFields = plain as unknown as Record<string, tf.Tensor>;
    expect(['accBeta1', 'accBeta2'].some((field) => bits(plainFields[field]) !== bits(hidden[field]))).toBe(true);
    const restored = tf.train.adam(1e-3);
    await restoreOptimizerState(restored, await optimizerState(original), 'test');
    for (const field of ['accBeta1', 'accBeta2']) {
      expect(bits((restored as unknown as Record<string, tf.Tensor>)[field])).toBe(bits(hidden[field]));
    }
  });

  it('rejects state that does not fit the optimizer', async () => {
    const variable = tf.variable(tf.tensor1d([1, 2, 3]));
    const adam = tf.train.adam(1e-3);
    steps(adam, variable, 2);
    const state = await optimizerState(adam);
    await expect(restoreOptimizerState(tf.train.sgd(1), state, 'ckpt')).rejects.toSatisfy((e) => isGraftError(e, 'CHECKPOINT_INVALID'));
  });
});
