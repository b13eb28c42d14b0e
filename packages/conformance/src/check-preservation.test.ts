import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFixture } from '@graft/fixtures';
import { checkPreservation, DEFAULT_TOLERANCE } from './check-preservation.js';
import { mnistDigits } from './digits.js';
import { allOnesConvGate, linearIdentity, lyingScale } from './sample-strategies.test-support.js';
import { type Grown, growFixture, poison } from './test-models.test-support.js';

describe('checkPreservation', () => {
  it('passes an exact identity insertion, with the measurements the CLI prints', async () => {
    const g = await growFixture('dense-chain-tanh', linearIdentity(), 'dense_3');
    const result = checkPreservation(g.source, g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(true);
    expect(result.maxAbsDiff).toBeLessThanOrEqual(DEFAULT_TOLERANCE * result.maxAbsY);
    expect(result.argmaxAgreement).toBe(1);
    expect(result.samples).toBe(8);
    expect(result.message).toMatch(/^Predictions preserved: max \|Δ\| = /);
  });

  it('compares every output of a multi-output model', async () => {
    const g = await growFixture('multi-input-multi-output', linearIdentity(), 'dense_5');
    const result = checkPreservation(g.source, g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(true);
  });

  describe("negative control: the write-up's conv gate (all-ones kernel)", () => {
    let g: Grown;
    beforeAll(async () => {
      g = await growFixture('mnist-reference', allOnesConvGate(), 'conv');
    });
    afterAll(() => g.dispose());

    it('FAILS on random inputs', () => {
      const result = checkPreservation(g.source, g.grown, g.inputs);
      expect(result.ok).toBe(false);
      expect(result.relative).toBeGreaterThan(DEFAULT_TOLERANCE);
      expect(result.message).toMatch(/^Predictions changed/);
    });

    it('FAILS on real MNIST digits, and changes the predicted class of some', async () => {
      const digits = await mnistDigits(64);
      const result = checkPreservation(g.source, g.grown, digits);
      digits.dispose();
      expect(result.ok).toBe(false);
      expect(result.samples).toBe(64);
      expect(result.argmaxAgreement).toBeLessThan(1);
    });

    it('FAILS on a small conv net with same padding too', async () => {
      const small = await growFixture('conv-same-padding-pooling', allOnesConvGate(), 'conv_1');
      const result = checkPreservation(small.source, small.grown, small.inputs);
      small.dispose();
      expect(result.ok).toBe(false);
    });
  });

  it('FAILS a strategy that offers a site where it is not exact (2·I)', async () => {
    const g = await growFixture('dense-chain-linear', lyingScale(), 'dense_3');
    const result = checkPreservation(g.source, g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
  });

  it('FAILS NaN predictions, which no |Δ| comparison would catch', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_1');
    poison(g.grown, 'dense_1_identity', Number.NaN);
    const result = checkPreservation(g.source, g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/NaN/);
  });

  it('FAILS a model with other outputs', () => {
    const fixture = getFixture('dense-chain-relu');
    const a = fixture.build();
    const b = getFixture('dense-chain-sigmoid').build();
    const inputs = tf.randomUniform([4, 6], -1, 1, 'float32', 3);
    const result = checkPreservation(a, b, inputs);
    a.dispose();
    b.dispose();
    inputs.dispose();
    expect(result.ok).toBe(false);
  });

  it('counts a flipped argmax as agreeing only between values tied within the tolerance', () => {
    const constant = (outputs: number[]): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1], kernelInitializer: 'zeros' })] });
      const [kernel, bias] = [tf.zeros([1, 2]), tf.tensor1d(outputs)];
      model.setWeights([kernel, bias]);
      tf.dispose([kernel, bias]);
      return model;
    };
    const source = constant([1, 0.9999999]);
    const nearTie = constant([0.9999999, 1]);
    const separated = constant([1, 0.5]);
    const flipped = constant([0.5, 1]);
    const inputs = tf.ones([3, 1]);
    const tie = checkPreservation(source, nearTie, inputs);
    const flip = checkPreservation(separated, flipped, inputs);
    tf.dispose(inputs);
    [source, nearTie, separated, flipped].forEach((m) => m.dispose());
    expect(tie.argmaxAgreement).toBe(1);
    expect(tie.ok).toBe(true);
    expect(flip.argmaxAgreement).toBe(0);
    expect(flip.ok).toBe(false);
  });

  it('leaks no tensors', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_1');
    const before = tf.memory().numTensors;
    checkPreservation(g.source, g.grown, g.inputs);
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
  });
});
