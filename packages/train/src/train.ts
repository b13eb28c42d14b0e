import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { countCorrect, evaluate } from './evaluate.js';
import { makeOptimizer, optimizerState, restoreOptimizerState } from './optimizer.js';
import { createProgress, type ProgressReporter } from './progress.js';
import { SeedStream } from './rng.js';
import { planTraining, type TrainableSet } from './schedule.js';
import { resolveSettings, shouldStop, type Settings } from './settings.js';
import type { EpochStats, TrainData, TrainHistory, TrainOptions } from './types.js';
import { withFrozenNormalization } from './frozen-normalization.js';

/**
 * Trains `model` (which must end in softmax) on `data.train` with categorical cross-entropy, one gradient step
 * per batch, and measures loss and accuracy (in percent, 0–100) per epoch on train and, when given, test data.
 *
 * - Same `seed`, data, model, options and backend give bit-identical weights.
 * - `trainable` / `unfreezeAfter`: only the chosen layers' variables are handed to the optimizer; other weights
 *   stay bit-identical. The caller's layers are not mutated.
 * - With `checkpointDir`, a checkpoint (model, optimizer state, seed stream, history) replaces the previous one
 *   atomically after every epoch; with `resume`, a run continues after the checkpoint's last finished epoch
 *   exactly as if it had not stopped. Without a checkpoint there, `resume` starts from scratch.
 * - A named optimizer is created and disposed by `train`; tensors made per batch are disposed as it goes.
 *
 * @returns the history of every finished epoch, resumed ones included.
 * @throws GraftError `INVALID_ARGUMENT` for a bad option, `UNKNOWN_LAYER` for a `trainable` name the model lacks,
 * `CHECKPOINT_INVALID` when the checkpoint to resume from is corrupt or belongs to another model or seed,
 * `IO_FAILED` when a checkpoint cannot be written.
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainHistory> {
  const settings = resolveSettings(data, options);
  const plan = planTraining(model, settings.trainable, settings.unfreezeAfter);
  const { optimizer, owned } = makeOptimizer(settings.optimizer, settings.learningRate);
  try {
    let seed = (options.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
    let seeds = new SeedStream(seed);
    let epochs: EpochStats[] = [];
    let stoppedEarly = false;
    let resumedFromEpoch: number | undefined;
    if (settings.resume && settings.checkpointDir !== undefined) {
      const checkpoint = await readCheckpoint(settings.checkpointDir);
      if (checkpoint !== undefined) {
        try {
          const { state, folder } = checkpoint;
          if (options.seed !== undefined && options.seed >>> 0 !== state.seed) {
            throw new GraftError('CHECKPOINT_INVALID', `The checkpoint in ${folder} was written with seed ${state.seed}; this run asks for seed ${options.seed}.`);
          }
          const values = checkpointValues(model, checkpoint.modelWeights, folder);
          if (state.optimizerClass !== optimizer.getClassName()) {
            throw new GraftError('CHECKPOINT_INVALID', `The checkpoint in ${folder} was trained with ${state.optimizerClass}; this run uses ${optimizer.getClassName()}.`);
          }
          const expected = plan.at(state.epoch).weightNames;
          if (state.optimizerVariables.join('\n') !== expected.join('\n')) {
            throw new GraftError(
              'CHECKPOINT_INVALID',
              `The checkpoint in ${folder} was trained with another trainable schedule (optimizer state for ${state.optimizerVariables.join(', ')}; this run trains ${expected.join(', ')} in epoch ${state.epoch}).`,
            );
          }
          model.setWeights(values);
          await restoreOptimizerState(optimizer, checkpoint.optimizerWeights, folder);
          seed = state.seed;
          seeds = new SeedStream(state.rngState);
          epochs = [...state.history];
          stoppedEarly = state.stoppedEarly;
          resumedFromEpoch = state.epoch;
        } finally {
          tf.dispose(checkpoint.modelWeights);
          tf.dispose(checkpoint.optimizerWeights.map((w) => w.tensor));
        }
      }
    }
    const progress = createProgress({
      mode: options.progress ?? 'auto',
      epochs: settings.epochs,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const snapshot = (): TrainHistory => ({
      epochs: [...epochs],
      stoppedEarly,
      seed,
      ...(resumedFromEpoch === undefined ? {} : { resumedFromEpoch }),
    });
    for (let epoch = epochs.length + 1; epoch <= settings.epochs && !stoppedEarly; epoch++) {
      const trainable = plan.at(epoch);
      const shuffleSeed = seeds.next();
      const stats = await withFrozenNormalization(model, trainable.layers, () =>
        runEpoch(model, optimizer, data, settings, trainable, epoch, shuffleSeed, progress, options),
      );
      epochs.push(stats);
      stoppedEarly = shouldStop(epochs, settings.earlyStopping) && epoch < settings.epochs;
      if (settings.checkpointDir !== undefined) {
        const weights = await optimizerState(optimizer);
        try {
          await writeCheckpoint(settings.checkpointDir, model, weights, {
            epoch,
            seed,
            rngState: seeds.state,
            optimizerClass: optimizer.getClassName(),
            optimizerVariables: plan.at(epoch).weightNames,
            history: epochs,
            stoppedEarly,
          });
        } finally {
          // getWeights() makes a fresh tensor for the iteration count; the rest are the optimizer's own variables.
          tf.dispose(weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
        }
      }
      progress.epoch(stats, settings.epochs);
      await options.onEpochEnd?.(stats, snapshot());
    }
    return snapshot();
  } finally {
    if (owned) optimizer.dispose();
  }
}

async function runEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: TrainData,
  settings: Settings,
  trainable: TrainableSet,
  epoch: number,
  shuffleSeed: number,
  progress: ProgressReporter,
  options: TrainOptions,
): Promise<EpochStats> {
  const split = data.train;
  const batches = Math.ceil(split.size / settings.batchSize);
  const variables = trainable.variables as tf.Variable[];
  const started = performance.now();
  let lossSum = 0;
  let correct = 0;
  let samples = 0;
  let batchNumber = 0;
  for (const batch of split.batches(settings.batchSize, { shuffle: true, seed: shuffleSeed })) {
    let hits: tf.Scalar | undefined;
    const cost = tf.tidy(() =>
      optimizer.minimize(
        () => {
          const predictions = model.apply(batch.xs, { training: true }) as tf.Tensor;
          // Kept past the tidy so accuracy needs no second forward pass.
          hits = tf.keep(countCorrect(batch.ys, predictions));
          return tf.mean<tf.Scalar>(tf.metrics.categoricalCrossentropy(batch.ys, predictions));
        },
        true,
        variables,
      ) as tf.Scalar,
    );
    tf.dispose([batch.xs, batch.ys]);
    if (hits === undefined) throw new Error('unreachable: minimize ran the loss function');
    const [lossValue, hitValue] = await Promise.all([cost.data(), hits.data()]);
    tf.dispose([cost, hits]);
    const loss = lossValue[0] as number;
    const batchCorrect = hitValue[0] as number;
    lossSum += loss * batch.size;
    correct += batchCorrect;
    samples += batch.size;
    batchNumber++;
    const seconds = (performance.now() - started) / 1000;
    progress.batch(epoch, samples, split.size, seconds, lossSum / samples, (100 * correct) / samples);
    await options.onBatchEnd?.({ epoch, batch: batchNumber, batches, size: batch.size, loss, accuracy: (100 * batchCorrect) / batch.size });
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const trainMetrics = settings.evaluateTrain ? await evaluate(model, split) : { loss: lossSum / samples, accuracy: (100 * correct) / samples };
  const test = data.test !== undefined && data.test.size > 0 ? await evaluate(model, data.test) : undefined;
  return {
    epoch,
    trainLoss: trainMetrics.loss,
    trainAccuracy: trainMetrics.accuracy,
    ...(test === undefined ? {} : { testLoss: test.loss, testAccuracy: test.accuracy }),
    samplesPerSecond: trainSeconds > 0 ? samples / trainSeconds : 0,
    seconds: (performance.now() - started) / 1000,
    trainable: trainable.layers,
  };
}

/** The checkpoint's weights in `model.weights` order, matched by name and shape. */
function checkpointValues(model: tf.LayersModel, weights: tf.NamedTensorMap, folder: string): tf.Tensor[] {
  return model.weights.map((variable) => {
    const value = weights[variable.originalName];
    if (value === undefined || value.shape.join(',') !== variable.shape.join(',')) {
      throw new GraftError(
        'CHECKPOINT_INVALID',
        `The checkpoint in ${folder} has no weight "${variable.originalName}" of shape [${variable.shape.join(', ')}]; it was written for another model.`,
      );
    }
    return value;
  });
}

