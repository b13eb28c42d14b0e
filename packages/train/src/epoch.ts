import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { evaluate } from './evaluate.js';
import { measured, prefixed, Tally, type Measured } from './metrics.js';
import type { ProgressReporter } from './progress.js';
import type { TrainableSet } from './schedule.js';
import type { Settings } from './settings.js';
import { batchSize, batchTensors, modelInputs, type DataInput, type SourceView } from './source.js';
import type { Task } from './task.js';
import type { EpochStats, TrainOptions } from './types.js';

/** Everything one epoch reads. */
export interface EpochInputs {
  readonly model: tf.LayersModel;
  readonly optimizer: tf.Optimizer;
  readonly task: Task;
  readonly train: SourceView;
  /** The original inputs, for evaluation passes. */
  readonly trainData: DataInput;
  readonly testData: DataInput | undefined;
  readonly settings: Settings;
  readonly progress: ProgressReporter;
  readonly options: TrainOptions;
}

/**
 * One epoch: one gradient step per batch of `train` in the epoch's shuffled order, then the test pass.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the training data turns out to be empty.
 */
export async function runEpoch(inputs: EpochInputs, trainable: TrainableSet, epoch: number, shuffleSeed: number): Promise<EpochStats> {
  const { model, optimizer, task, settings, progress, options } = inputs;
  const total = inputs.train.size;
  const batches = inputs.train.batchCount(settings.batchSize);
  const variables = trainable.variables as tf.Variable[];
  const started = performance.now();
  const tally = new Tally();
  let samples = 0;
  let batchNumber = 0;
  for await (const batch of inputs.train.batches(settings.batchSize, { shuffle: true, seed: shuffleSeed })) {
    let metric: tf.Scalar | undefined;
    let cost: tf.Scalar;
    let size: number;
    let units: number;
    try {
      size = batchSize(batch, 'training');
      units = task.units(batch.ys);
      const xs = modelInputs(model, batch.xs);
      cost = tf.tidy(() =>
        optimizer.minimize(
          () => {
            const predictions = model.apply(xs, { training: true }) as tf.Tensor;
            // Kept past the tidy so the metric needs no second forward pass.
            const sum = task.metricSum(batch.ys, predictions);
            metric = sum === undefined ? undefined : tf.keep(sum);
            return task.loss(batch.ys, predictions);
          },
          true,
          variables,
        ) as tf.Scalar,
      );
    } finally {
      tf.dispose(batchTensors(batch));
    }
    const [lossValue, metricValue] = await Promise.all([cost.data(), metric?.data()]);
    tf.dispose([cost, ...(metric === undefined ? [] : [metric])]);
    const loss = lossValue[0] as number;
    const batchMetric = metricValue === undefined ? 0 : (metricValue[0] as number);
    tally.add(loss, batchMetric, units);
    samples += size;
    batchNumber++;
    const seconds = (performance.now() - started) / 1000;
    progress.batch(epoch, samples, total, seconds, tally.result(task.name));
    const { loss: _loss, ...metrics } = measured(task.name, loss, batchMetric / units);
    await options.onBatchEnd?.({ epoch, batch: batchNumber, ...(batches === undefined ? {} : { batches }), size, loss, ...metrics });
  }
  if (samples === 0) throw new GraftError('INVALID_ARGUMENT', 'The training data is empty.');
  const trainSeconds = (performance.now() - started) / 1000;
  const evaluation = { batchSize: 256, task: task.name };
  const trainMetrics: Measured = settings.evaluateTrain ? await evaluate(model, inputs.trainData, evaluation) : tally.result(task.name);
  const test = inputs.testData === undefined || inputs.testData.size === 0 ? undefined : await evaluate(model, inputs.testData, evaluation);
  return {
    epoch,
    ...(prefixed('train', trainMetrics) as { trainLoss: number }),
    ...(test === undefined ? {} : prefixed('test', test)),
    samplesPerSecond: trainSeconds > 0 ? samples / trainSeconds : 0,
    seconds: (performance.now() - started) / 1000,
    trainable: trainable.layers,
  };
}
