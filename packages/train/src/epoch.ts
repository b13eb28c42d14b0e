import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { evaluate } from './evaluate.js';
import { measured, prefixed, Tally, type Measured } from './metrics.js';
import type { ProgressReporter } from './progress.js';
import type { TrainableSet } from './schedule.js';
import type { Settings } from './settings.js';
import { batchSize, batchTensors, modelInputs, type DataInput, type SourceView } from './source.js';
import { stepHere, stepOnReplicas, type StepOutcome } from './step.js';
import type { ReplicaPool } from './parallel/pool.js';
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
  /** The replicas that train when the run is data-parallel; absent on the calling thread. */
  readonly pool?: ReplicaPool | undefined;
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
  // With replicas, each batch is sent before the previous step's result is reported, so they find their next shard
  // waiting instead of idling while this thread reports and cuts the next batch. Results and reports keep their order.
  let reported: Promise<void> = Promise.resolve();
  for await (const batch of inputs.train.batches(settings.batchSize, { shuffle: true, seed: shuffleSeed })) {
    let outcome: Promise<StepOutcome>;
    let size: number;
    let units: number;
    try {
      size = batchSize(batch, 'training');
      units = task.units(batch.ys);
      const xs = modelInputs(model, batch.xs);
      // stepOnReplicas has copied the batch out before it returns, so the tensors can go at once.
      outcome = inputs.pool === undefined ? Promise.resolve(await stepHere(model, optimizer, task, variables, xs, batch.ys)) : stepOnReplicas(inputs.pool, xs, batch.ys);
      outcome.catch(() => undefined); // awaited below; marked handled so a failure waits its turn
    } finally {
      tf.dispose(batchTensors(batch));
    }
    const report = async (): Promise<void> => {
      const { loss, metricSum: batchMetric } = await outcome;
      tally.add(loss, batchMetric, units);
      samples += size;
      batchNumber++;
      const seconds = (performance.now() - started) / 1000;
      progress.batch(epoch, samples, total, seconds, tally.result(task.name));
      const { loss: _loss, ...metrics } = measured(task.name, loss, batchMetric / units);
      await options.onBatchEnd?.({ epoch, batch: batchNumber, ...(batches === undefined ? {} : { batches }), size, loss, ...metrics });
    };
    await reported;
    reported = report();
    if (inputs.pool === undefined) await reported;
    reported.catch(() => undefined);
  }
  await reported;
  if (samples === 0) throw new GraftError('INVALID_ARGUMENT', 'The training data is empty.');
  // The replicas trained; the model evaluates, checkpoints and is returned with their (identical) weights.
  await inputs.pool?.copyWeightsTo(model);
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
