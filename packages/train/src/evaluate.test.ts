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
});
