import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, type Dataset } from '@graft/datasets';
import { train } from './train.js';

let data: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadMnist({ limit: { train: 128, test: 32 } });
});

/** Flatten → Dense → BatchNormalization (non-trivial statistics) → Dense(softmax). */
function modelWithBatchNorm(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flat' }),
      tf.layers.dense({ units: 12, activation: 'relu', name: 'hidden', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.batchNormalization({ name: 'norm' }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const norm = model.getLayer('norm');
  const values = norm.getWeights().map((w, i) => tf.fill(w.shape, [1.5, 0.2, 0.3, 2][i] ?? 1));
  norm.setWeights(values);
  tf.dispose(values);
  return model;
}

const values = (layer: tf.layers.Layer) => layer.getWeights().map((w) => Array.from(w.dataSync()));

describe('frozen BatchNormalization', () => {
  it('keeps its moving statistics bit-identical while other layers train', async () => {
    const model = modelWithBatchNorm();
    const before = values(model.getLayer('norm'));
    await train(model, data, { progress: 'none', epochs: 1, seed: 1, trainable: ['out'] });
    expect(values(model.getLayer('norm'))).toEqual(before);
    model.dispose();
  });

  it('updates them when the layer is trained (the control)', async () => {
    const model = modelWithBatchNorm();
    const before = values(model.getLayer('norm'));
    await train(model, data, { progress: 'none', epochs: 1, seed: 1, trainable: ['norm', 'out'] });
    expect(values(model.getLayer('norm'))[2]).not.toEqual(before[2]);
    model.dispose();
  });
});
