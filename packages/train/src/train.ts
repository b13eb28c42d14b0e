import * as tf from '@tensorflow/tfjs';
import { GraftError, seededRandom } from '@graft/core';
import { readCheckpoint, writeCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import { runEpoch, type EpochInputs } from './epoch.js';
import { withFrozenNormalization } from './frozen-normalization.js';
import { makeOptimizer, optimizerState, restoreOptimizerState } from './optimizer.js';
import { createProgress } from './progress.js';
import { planTraining, type TrainingPlan } from './schedule.js';
import { checkStoppingMetric, resolveSettings, shouldStop } from './settings.js';
import { batchTensors, viewOf, type SourceView } from './source.js';
import { resolveTask, type Task, type TaskOption } from './task.js';
import { threads } from '#threads';
import type { ReplicaPool } from './parallel/pool.js';
import { chooseWorkers } from './parallel/workers.js';
import type { EpochStats, TrainData, TrainHistory, TrainOptions } from './types.js';

/**
 * Trains `model` on `data.train`, one gradient step per batch, with the loss and metrics of its task (`task`,
 * inferred by default from the model's output and the labels: cross-entropy and accuracy for classification,
 * MSE and MAE for regression, per-token cross-entropy and perplexity for a language model), measured per epoch on
 * train and, when given, test data.
 *
 * - Same `seed`, data, model, options and backend give bit-identical weights.
 * - `trainable` / `unfreezeAfter`: only the chosen layers' variables are handed to the optimizer; other weights
 *   stay bit-identical. The caller's layers are not mutated.
 * - With `checkpoint`, a checkpoint (model, optimizer state, seed, task, history) replaces the previous one
 *   atomically after every epoch; with `resume`, a run continues after the checkpoint's last finished epoch
 *   exactly as if it had not stopped. Without a checkpoint there, `resume` starts from scratch.
 * - A named optimizer is created and disposed by `train`; tensors made per batch are disposed as it goes.
 * - `workers` (default `'auto'`, see {@link chooseWorkers}): data-parallel training on worker threads, each batch
 *   split across replicas that stay bit-identical; same seed and worker count give bit-identical weights, other
 *   worker counts the same training up to float rounding. `workers: 1` trains on the calling thread.
 *
 * @returns the history of every finished epoch, resumed ones included.
 * @throws GraftError `INVALID_ARGUMENT` for a bad option or a task that does not fit the model and data,
 * `UNKNOWN_LAYER` for a `trainable` name the model lacks, `CHECKPOINT_INVALID` when the checkpoint to resume from
 * is corrupt or belongs to another model, seed or task, `IO_FAILED` when a checkpoint cannot be written.
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainHistory> {
  const trainView = viewOf(data.train, 'training');
  const testView = data.test === undefined ? undefined : viewOf(data.test, 'test');
  const settings = resolveSettings({ train: trainView, test: testView }, options);
  const plan = planTraining(model, settings.trainable, settings.unfreezeAfter);
  const { workers } = chooseWorkers(model, { batchSize: settings.batchSize, ...(options.workers === undefined ? {} : { workers: options.workers }) });
  const task = await taskOf(model, trainView, settings.task);
  checkStoppingMetric(settings.earlyStopping, task.name);
  const { optimizer, owned } = makeOptimizer(settings.optimizer, settings.learningRate);
  let pool: ReplicaPool | undefined;
  try {
    let seed = (options.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
    let epochs: EpochStats[] = [];
    let stoppedEarly = false;
    let resumedFromEpoch: number | undefined;
    // The weights the optimizer's restored state belongs to, for replicas to split it among themselves.
    let optimizerOwners: readonly string[] = [];
    if (settings.resume && settings.checkpoint !== undefined) {
      const checkpoint = await readCheckpoint(settings.checkpoint);
      if (checkpoint !== undefined) {
        try {
          restore(model, optimizer, plan, task, checkpoint, options.seed);
          await restoreOptimizerState(optimizer, checkpoint.optimizerWeights, checkpoint.location);
        } finally {
          tf.dispose(checkpoint.modelWeights);
          tf.dispose(checkpoint.optimizerWeights.map((w) => w.tensor));
        }
        seed = checkpoint.state.seed;
        epochs = [...checkpoint.state.history];
        stoppedEarly = checkpoint.state.stoppedEarly;
        resumedFromEpoch = checkpoint.state.epoch;
        optimizerOwners = checkpoint.state.optimizerVariables;
      }
    }
    const progress = createProgress({
      mode: options.progress ?? 'auto',
      epochs: settings.epochs,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const snapshot = (): TrainHistory => ({
      task: task.name,
      epochs: [...epochs],
      stoppedEarly,
      seed,
      workers,
      ...(resumedFromEpoch === undefined ? {} : { resumedFromEpoch }),
    });
    // Replicas start from the model and optimizer as they are now, after any resume.
    if (workers > 1 && epochs.length < settings.epochs && !stoppedEarly) {
      pool = await threads.start(model, { workers, optimizer, optimizerOwners, task: task.name });
    }
    const inputs: EpochInputs = { model, optimizer, task, train: trainView, trainData: data.train, testData: data.test, settings, progress, options, pool };
    // One seed per epoch, drawn from core's seeded generator: epoch e shuffles with the e-th draw, so a resumed
    // run (which replays the draws of its finished epochs) shuffles exactly as an uninterrupted one.
    const random = seededRandom(seed);
    for (let done = 0; done < epochs.length; done++) random();
    for (let epoch = epochs.length + 1; epoch <= settings.epochs && !stoppedEarly; epoch++) {
      const trainable = plan.at(epoch);
      const shuffleSeed = Math.floor(random() * 2 ** 32);
      await pool?.setTrainable(trainable.layers, trainable.weightNames);
      const stats = await withFrozenNormalization(model, trainable.layers, () => runEpoch(inputs, trainable, epoch, shuffleSeed));
      epochs.push(stats);
      stoppedEarly = shouldStop(epochs, settings.earlyStopping) && epoch < settings.epochs;
      if (settings.checkpoint !== undefined) {
        // With replicas, the optimizer that trained is theirs (replica 0's state is every replica's).
        const weights = pool === undefined ? await optimizerState(optimizer) : await pool.optimizerState();
        try {
          await writeCheckpoint(settings.checkpoint, model, weights, {
            epoch,
            seed,
            task: task.name,
            optimizerClass: optimizer.getClassName(),
            optimizerVariables: plan.at(epoch).weightNames,
            history: epochs,
            stoppedEarly,
          });
        } finally {
          // getWeights() makes a fresh tensor for the iteration count; the rest are the optimizer's own variables.
          // A pool's state is all fresh copies.
          tf.dispose(weights.map((w) => w.tensor).filter((t) => pool !== undefined || !(t instanceof tf.Variable)));
        }
      }
      progress.epoch(stats, settings.epochs);
      await options.onEpochEnd?.(stats, snapshot());
    }
    return snapshot();
  } finally {
    await pool?.dispose();
    if (owned) optimizer.dispose();
  }
}

/** The task, from the option and the labels of the training data's first batch (read in stored order). */
async function taskOf(model: tf.LayersModel, source: SourceView, option: TaskOption): Promise<Task> {
  for await (const batch of source.batches(1, {})) {
    try {
      return resolveTask(model, option, batch.ys);
    } finally {
      tf.dispose(batchTensors(batch));
    }
  }
  throw new GraftError('INVALID_ARGUMENT', 'The training data is empty.');
}

/** Checks a checkpoint belongs to this run and puts its weights into `model`. */
function restore(model: tf.LayersModel, optimizer: tf.Optimizer, plan: TrainingPlan, task: Task, checkpoint: LoadedCheckpoint, seed: number | undefined): void {
  const { state, location } = checkpoint;
  if (seed !== undefined && seed >>> 0 !== state.seed) {
    throw new GraftError('CHECKPOINT_INVALID', `The checkpoint in ${location} was written with seed ${state.seed}; this run asks for seed ${seed}.`);
  }
  if (state.task !== task.name) {
    throw new GraftError('CHECKPOINT_INVALID', `The checkpoint in ${location} was written for ${state.task}; this run is ${task.name}.`);
  }
  const values = checkpointValues(model, checkpoint.modelWeights, location);
  if (state.optimizerClass !== optimizer.getClassName()) {
    throw new GraftError('CHECKPOINT_INVALID', `The checkpoint in ${location} was trained with ${state.optimizerClass}; this run uses ${optimizer.getClassName()}.`);
  }
  const expected = plan.at(state.epoch).weightNames;
  if (state.optimizerVariables.join('\n') !== expected.join('\n')) {
    throw new GraftError(
      'CHECKPOINT_INVALID',
      `The checkpoint in ${location} was trained with another trainable schedule (optimizer state for ${state.optimizerVariables.join(', ')}; this run trains ${expected.join(', ')} in epoch ${state.epoch}).`,
    );
  }
  model.setWeights(values);
}

/** The checkpoint's weights in `model.weights` order, matched by name and shape. */
function checkpointValues(model: tf.LayersModel, weights: tf.NamedTensorMap, location: string): tf.Tensor[] {
  return model.weights.map((variable) => {
    const value = weights[variable.originalName];
    if (value === undefined || value.shape.join(',') !== variable.shape.join(',')) {
      throw new GraftError(
        'CHECKPOINT_INVALID',
        `The checkpoint in ${location} has no weight "${variable.originalName}" of shape [${variable.shape.join(', ')}]; it was written for another model.`,
      );
    }
    return value;
  });
}
