import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { DataSplit } from '@graft/datasets';
import { evaluate } from './evaluate.js';

// A "model" whose softmax output ignores the image: always 0.5 / 0.25 / 0.25 over three classes.
function constantModel(): tf.LayersModel {
  const input = tf.input({ shape: [2, 2, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: 3, kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 0 }) })
    .apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: tf.layers.activation({ activation: 'softmax' }).apply(logits) as tf.SymbolicTensor });
  const dense = model.layers[2];
  dense?.setWeights([tf.zeros([4, 3]), tf.tensor1d([Math.log(2), 0, 0])]);
  return model;
}

describe('evaluate', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives mean cross-entropy and accuracy in percent, across uneven batches, without leaking', async () => {
    const labels = new Uint8Array([0, 1, 2, 0, 0]);
    const split = new DataSplit(new Uint8Array(20), labels, { imageShape: [2, 2, 1], numClasses: 3 });
    const model = constantModel();
    const before = tf.memory().numTensors;
    const result = await evaluate(model, split, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.accuracy).toBeCloseTo(60, 6);
    expect(result.loss).toBeCloseTo((3 * -Math.log(0.5) + 2 * -Math.log(0.25)) / 5, 5);
  });

  it('rejects an empty split and a bad batch size', async () => {
    const split = new DataSplit(new Uint8Array(0), new Uint8Array(0));
    await expect(evaluate(constantModel(), split)).rejects.toSatisfy((e) => isGraftError(e, 'INVALID_ARGUMENT'));
    const one = new DataSplit(new Uint8Array(4), new Uint8Array(1), { imageShape: [2, 2, 1], numClasses: 3 });
    await expect(evaluate(constantModel(), one, { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  describe('with a reference model', () => {
    // Varied pixels, so different biases and kernels give different predictions per image.
    const pixels = Uint8Array.from({ length: 7 * 4 }, (_, i) => (i * 37) % 256);
    const split = () => new DataSplit(pixels, new Uint8Array([0, 1, 2, 0, 1, 2, 0]), { imageShape: [2, 2, 1], numClasses: 3 });
    const withWeights = (kernel: number[], bias: number[]): tf.LayersModel => {
      const model = constantModel();
      model.layers[2]?.setWeights([tf.tensor2d(kernel, [4, 3]), tf.tensor1d(bias)]);
      return model;
    };
    const kernel = Array.from({ length: 12 }, (_, i) => Math.sin(i) * 0.1);

    it('gives maxAbsDiff 0 against an equal model, and the same loss and accuracy as without it', async () => {
      const [model, twin] = [withWeights(kernel, [0.1, 0, -0.1]), withWeights(kernel, [0.1, 0, -0.1])];
      const before = tf.memory().numTensors;
      const compared = await evaluate(model, split(), { batchSize: 3, reference: twin });
      expect(tf.memory().numTensors).toBe(before);
      const alone = await evaluate(model, split(), { batchSize: 3 });
      expect(compared.maxAbsDiff).toBe(0);
      expect(alone.maxAbsDiff).toBeUndefined();
      expect([compared.loss, compared.accuracy]).toEqual([alone.loss, alone.accuracy]);
    });

    it('gives the largest difference over every batch, measured independently', async () => {
      const [model, other] = [withWeights(kernel, [0.1, 0, -0.1]), withWeights(kernel, [0.1, 0.3, -0.1])];
      const xs = tf.tensor4d(Float32Array.from(pixels, (p) => p / 255), [7, 2, 2, 1]);
      const expected = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(xs) as tf.Tensor, other.predict(xs) as tf.Tensor))).dataSync()[0] as number);
      xs.dispose();
      const { maxAbsDiff } = await evaluate(model, split(), { batchSize: 3, reference: other });
      expect(expected).toBeGreaterThan(0.01);
      expect(maxAbsDiff).toBeCloseTo(expected, 6);
    });

    it('reports Infinity when the reference predicts NaN, and refuses predictions of another shape', async () => {
      const broken = withWeights(kernel.map(() => Number.NaN), [0, 0, 0]);
      expect((await evaluate(withWeights(kernel, [0, 0, 0]), split(), { reference: broken })).maxAbsDiff).toBe(Infinity);
      const input = tf.input({ shape: [2, 2, 1] });
      const four = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 4, activation: 'softmax' }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor });
      await expect(evaluate(constantModel(), split(), { reference: four })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('predicts [7, 4] where the model predicts [7, 3]') as unknown });
    });
  });
});
