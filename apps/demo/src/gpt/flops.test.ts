import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { thrownBy } from '@graft/fixtures';
import { gpt } from '@graft/models';
import { multiplyAddsPerSample, trainingFlopsPerStep } from './flops.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One attention-like head on 4 positions of width 3, counted by hand below. */
function smallModel(): tf.LayersModel {
  const tokens = tf.input({ shape: [4], dtype: 'int32', name: 'tokens' });
  const embedded = tf.layers.embedding({ inputDim: 10, outputDim: 3, name: 'embed' }).apply(tokens) as tf.SymbolicTensor;
  const normed = tf.layers.layerNormalization({ name: 'norm' }).apply(embedded) as tf.SymbolicTensor;
  const query = tf.layers.dense({ units: 3, name: 'query' }).apply(normed) as tf.SymbolicTensor; // 4 · 3 · 3 = 36
  const scores = tf.layers.dot({ axes: [2, 2], name: 'scores' }).apply([query, normed]) as tf.SymbolicTensor; // [4, 4] · 3 = 48
  const weights = tf.layers.softmax({ name: 'softmax' }).apply(scores) as tf.SymbolicTensor;
  const mixed = tf.layers.dot({ axes: [2, 1], name: 'mix' }).apply([weights, normed]) as tf.SymbolicTensor; // [4, 3] · 4 = 48
  const logits = tf.layers.dense({ units: 10, name: 'head' }).apply(mixed) as tf.SymbolicTensor; // 4 · 3 · 10 = 120
  return tf.model({ inputs: tokens, outputs: logits });
}

describe('FLOPs', () => {
  it('counts the multiply-adds of Dense and Dot layers by hand', () => {
    const model = smallModel();
    expect(multiplyAddsPerSample(model)).toBe(36 + 48 + 48 + 120);
    // forward 2 × 252 = 504 per sample, backward twice that: 1,512 per sample, times the batch.
    expect(trainingFlopsPerStep(model, 8)).toBe(1_512 * 8);
    model.dispose();
  });

  it('counts a GPT as 12·d² per token per block, 2·T·d per token per block for attention, and the head', () => {
    const [T, d, L, V] = [4, 8, 1, 10];
    const model = gpt({ vocabSize: V, context: T, dModel: d, heads: 2, blocks: L, mlpRatio: 4 });
    // q, k, v and the output projection: 4·d²; the MLP: 2·4·d²; scores and attended values: T·d each, per token.
    expect(multiplyAddsPerSample(model)).toBe(T * (12 * d * d * L + 2 * T * d * L + d * V));
    expect(multiplyAddsPerSample(model)).toBe(3_648);
    model.dispose();
  });

  it('refuses a weighted layer it has no rule for, instead of missing its cost', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: conv });
    const thrown = thrownBy(() => multiplyAddsPerSample(model));
    expect(thrown.code).toBe('UNSUPPORTED_MODEL');
    expect(thrown.message).toMatch(/no rule for layer conv \(Conv2D\)/);
    model.dispose();
  });
});
