import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '@graft/core';
import { buildReferenceModel, REFERENCE_CLASSES, REFERENCE_INPUT_SHAPE } from '../model/reference-model.js';

/** Result of timing the reference model's training steps. */
export interface TrainingTiming {
  readonly samplesPerSecond: number;
  readonly seconds: number;
  readonly finalLoss: number;
  /** `tf.memory().numTensors` before the timed steps and after them. */
  readonly numTensors: { readonly before: number; readonly after: number };
}

/** A seeded pool of random 28×28×1 images and labels; batches are cut from it like a data loader would. */
function makePool(samples: number, seed: number): { images: Float32Array; labels: Int32Array } {
  const next = seededRandom(seed);
  const pixels = REFERENCE_INPUT_SHAPE.reduce<number>((a, b) => a * b, 1);
  return {
    images: Float32Array.from({ length: samples * pixels }, next),
    labels: Int32Array.from({ length: samples }, () => Math.floor(next() * REFERENCE_CLASSES)),
  };
}

/**
 * Trains the reference model with Adam(1e-3) and categorical cross-entropy for `warmupSteps` untimed steps, then
 * times `steps` steps of `batchSize` samples. Each step uploads its batch, as a data loader would.
 */
export async function timeReferenceTraining(options: {
  readonly steps: number;
  readonly warmupSteps: number;
  readonly batchSize: number;
}): Promise<TrainingTiming> {
  const { steps, warmupSteps, batchSize } = options;
  const model = buildReferenceModel({ seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const poolSize = Math.max(batchSize, 2048 - (2048 % batchSize));
  const pool = makePool(poolSize, 7);
  const pixels = REFERENCE_INPUT_SHAPE.reduce<number>((a, b) => a * b, 1);
  const batchesInPool = Math.floor(poolSize / batchSize);

  const step = (index: number): tf.Scalar => {
    const start = (index % batchesInPool) * batchSize;
    return tf.tidy(() => {
      const x = tf.tensor4d(pool.images.subarray(start * pixels, (start + batchSize) * pixels), [batchSize, ...REFERENCE_INPUT_SHAPE]);
      const y = tf.oneHot(tf.tensor1d(pool.labels.subarray(start, start + batchSize), 'int32'), REFERENCE_CLASSES);
      return optimizer.minimize(() => {
        const probabilities = model.apply(x, { training: true }) as tf.Tensor2D;
        return tf.mean<tf.Scalar>(tf.metrics.categoricalCrossentropy(y, probabilities));
      }, true) as tf.Scalar;
    });
  };

  for (let i = 0; i < warmupSteps; i++) step(i).dispose();
  const before = tf.memory().numTensors;
  let loss: tf.Scalar | undefined;
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    loss?.dispose();
    loss = step(warmupSteps + i);
  }
  const finalLoss = loss === undefined ? Number.NaN : (await loss.data())[0] ?? Number.NaN;
  const seconds = (performance.now() - started) / 1000;
  loss?.dispose();
  const after = tf.memory().numTensors;
  optimizer.dispose();
  model.dispose();
  return { samplesPerSecond: (steps * batchSize) / seconds, seconds, finalLoss, numTensors: { before, after } };
}
