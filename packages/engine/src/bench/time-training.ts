import * as tf from '@tensorflow/tfjs';
import type { Workload } from './workloads.js';

/** Result of timing a workload's training steps. */
export interface TrainingTiming {
  /** Samples or tokens per second, as the workload's unit says. */
  readonly throughput: number;
  readonly seconds: number;
  readonly finalLoss: number;
  /** `tf.memory().numTensors` before the timed steps and after them. */
  readonly numTensors: { readonly before: number; readonly after: number };
}

/**
 * Trains the workload's model with Adam(1e-3) for `warmupSteps` untimed steps, then times `steps` steps of
 * `batchSize` rows. Each step uploads its batch, as a data loader would.
 */
export async function timeTraining(
  workload: Workload,
  options: { readonly steps: number; readonly warmupSteps: number; readonly batchSize: number },
): Promise<TrainingTiming> {
  const { steps, warmupSteps, batchSize } = options;
  const model = workload.build();
  const optimizer = tf.train.adam(1e-3);
  const batch = workload.batches(batchSize);
  const step = (index: number): tf.Scalar =>
    tf.tidy(() => {
      const { xs, ys } = batch(index);
      return optimizer.minimize(() => workload.loss(ys, model.apply(xs, { training: true }) as tf.Tensor), true) as tf.Scalar;
    });

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
  return { throughput: (steps * workload.itemsPerBatch(batchSize)) / seconds, seconds, finalLoss, numTensors: { before, after } };
}
