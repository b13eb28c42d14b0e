import * as tf from '@tensorflow/tfjs';
import { seededRandom, type Batch, type BatchSource } from '@graft/core';

/**
 * A batch source written as a user would: rows of `xs` and `ys` kept as plain arrays, batches made on demand in
 * stored or seeded order.
 */
export function arraySource(xs: number[][], ys: number[][] | number[], xShape: number[], yShape: number[], yDtype: 'float32' | 'int32'): BatchSource {
  const size = xs.length;
  return {
    size,
    *batches(batchSize, options = {}) {
      const order = Array.from({ length: size }, (_, i) => i);
      if (options.shuffle === true) {
        const random = seededRandom(options.seed ?? 0);
        for (let i = size - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
      }
      for (let start = 0; start < size; start += batchSize) {
        const rows = order.slice(start, start + batchSize);
        const batch: Batch = {
          xs: tf.tensor(rows.flatMap((r) => xs[r] as number[]), [rows.length, ...xShape], 'float32'),
          ys: tf.tensor(rows.flatMap((r) => ys[r] as number[] | number), [rows.length, ...yShape], yDtype),
        };
        yield batch;
      }
    },
  };
}

/** y = 2·x0 − x1 + 0.5 with a little noise, 3 features: a regression a linear model can learn. */
export function regressionData(n: number, seed: number): BatchSource {
  const random = seededRandom(seed);
  const xs = Array.from({ length: n }, () => [random(), random(), random()]);
  const ys = xs.map(([a = 0, b = 0]) => [2 * a - b + 0.5 + 0.01 * (random() - 0.5)]);
  return arraySource(xs, ys, [3], [1], 'float32');
}

/** Sequences of 6 token ids (0..4) whose label at each position is the token itself: per-token classification. */
export function tokenData(n: number, seed: number): BatchSource {
  const random = seededRandom(seed);
  const xs = Array.from({ length: n }, () => Array.from({ length: 6 }, () => Math.floor(random() * 5)));
  return arraySource(xs, xs, [6], [6], 'int32');
}

/** A linear regression model on 3 features. */
export function regressionModel(): tf.LayersModel {
  return tf.sequential({
    name: 'regressor',
    layers: [
      tf.layers.dense({ inputShape: [3], units: 8, activation: 'relu', name: 'hidden', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 1, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

/** Embedding → per-token Dense softmax over 5 classes, `[batch, 6]` ids in, `[batch, 6, 5]` out. */
export function tokenModel(activation: 'softmax' | 'linear' = 'softmax'): tf.LayersModel {
  return tf.sequential({
    name: 'tagger',
    layers: [
      tf.layers.embedding({ inputDim: 5, outputDim: 4, inputLength: 6, name: 'embed', embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }) }),
      tf.layers.dense({ units: 5, activation, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
}
