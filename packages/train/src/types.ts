import type * as tf from '@tensorflow/tfjs';
import type { CheckpointStore } from './checkpoint-store.js';
import type { WorkersSpec } from './parallel/workers.js';
import type { DataInput } from './source.js';
import type { TaskName, TaskOption } from './task.js';

/**
 * The data {@link train} reads: a training source, and optionally a test source evaluated after every epoch. Each is
 * a `BatchSource` (`@graft/datasets` makes them from MNIST, CSV/TSV files, image folders and tensors) or a
 * `tf.data.Dataset` of `{ xs, ys }` batches.
 */
export interface TrainData {
  readonly train: DataInput;
  readonly test?: DataInput;
}

/**
 * A metric early stopping can watch; it must belong to the task that runs. Losses, MAE and perplexity must fall,
 * accuracies must rise.
 */
export type StoppingMetric =
  | 'trainLoss'
  | 'testLoss'
  | 'trainAccuracy'
  | 'testAccuracy'
  | 'trainMae'
  | 'testMae'
  | 'trainPerplexity'
  | 'testPerplexity';

/** Early stopping: stop after `patience` (≥ 1) epochs in a row without an improvement larger than `minDelta`. */
export interface EarlyStoppingOptions {
  readonly metric: StoppingMetric;
  readonly patience: number;
  /** Smallest change that counts as an improvement (in the metric's unit; accuracy is in percent). Default 0. */
  readonly minDelta?: number;
}

/** Which layers train: every layer, the layers graft added (from the model's metadata), or the named layers. */
export type TrainableSpec = 'all' | 'new' | readonly string[];

/** An optimizer by name, or an instance (whose learning rate is then its own). */
export type OptimizerSpec = 'adam' | 'sgd' | 'rmsprop' | tf.Optimizer;

/** How progress is shown: a redrawn bar, plain periodic lines, nothing, or `'auto'` (bar on a TTY, else lines). */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/**
 * What one finished epoch measured: the loss always, and the metrics of the task that ran — accuracy (percent,
 * 0–100) for classification, mean absolute error for regression, perplexity for a language model. The other
 * tasks' fields are absent. `test*` fields are there when a test source was given.
 */
export interface EpochStats {
  /** 1 for the first epoch. */
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy?: number;
  readonly trainMae?: number;
  readonly trainPerplexity?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  readonly testMae?: number;
  readonly testPerplexity?: number;
  /** Training samples per second over the epoch's gradient steps (evaluation and checkpoint not counted). */
  readonly samplesPerSecond: number;
  /** Wall-clock seconds of the epoch: training and evaluation (the checkpoint is written after). */
  readonly seconds: number;
  /** Names of the layers whose weights this epoch trained. */
  readonly trainable: readonly string[];
}

/** What one finished batch measured, given to `onBatchEnd`: the loss, and the task's metric on this batch. */
export interface BatchStats {
  readonly epoch: number;
  /** 1 for an epoch's first batch. */
  readonly batch: number;
  /** Batches in the epoch; absent while a `tf.data.Dataset` has not been read through once. */
  readonly batches?: number;
  /** Samples in this batch. */
  readonly size: number;
  readonly loss: number;
  /** Classification: percent of this batch's labels predicted correctly, 0–100. */
  readonly accuracy?: number;
  /** Regression: mean absolute error on this batch. */
  readonly mae?: number;
  /** Language model: `exp(loss)` of this batch. */
  readonly perplexity?: number;
}

/** What {@link train} returns. */
export interface TrainHistory {
  /** The task that ran (its metrics fill {@link EpochStats}). */
  readonly task: TaskName;
  /** Every finished epoch, those of a resumed checkpoint included. */
  readonly epochs: readonly EpochStats[];
  /** True when early stopping ended the run before `epochs`. */
  readonly stoppedEarly: boolean;
  /** The last finished epoch of the checkpoint this run resumed from, when it resumed. */
  readonly resumedFromEpoch?: number;
  /** The shuffling seed (the one given, or the one chosen), to reproduce the run. */
  readonly seed: number;
  /** Number of training replicas (worker threads) the run used; 1 when it trained on the calling thread. */
  readonly workers: number;
}

/** Options of {@link train}. Every field is optional. */
export interface TrainOptions {
  /** Total number of epochs, resumed ones included. Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Default `'adam'`. An instance is used as is (its learning rate wins) and is not disposed. */
  readonly optimizer?: OptimizerSpec;
  /** Learning rate of a named optimizer. Default 1e-3. */
  readonly learningRate?: number;
  /** Seed of the shuffling: same seed, data, model and backend give the same weights. Default: random. */
  readonly seed?: number;
  /** The task, which picks loss and metrics. Default `'auto'`: inferred from the model's output and the labels. */
  readonly task?: TaskOption;
  /** Which layers train (until `unfreezeAfter`). Default `'all'`. */
  readonly trainable?: TrainableSpec;
  /** Train only `trainable` for this many epochs, then every layer. Default: never unfreeze. */
  readonly unfreezeAfter?: number;
  /** Called after each epoch (awaited). */
  readonly onEpochEnd?: (stats: EpochStats, history: TrainHistory) => void | Promise<void>;
  /** Called after each batch (awaited). */
  readonly onBatchEnd?: (stats: BatchStats) => void | Promise<void>;
  readonly earlyStopping?: EarlyStoppingOptions;
  /**
   * Where the latest checkpoint goes after each epoch, replacing the previous one atomically: in Node.js,
   * `checkpointFolder(dir)` from `@graft/train/node`; anywhere, a {@link CheckpointStore} of your own.
   */
  readonly checkpoint?: CheckpointStore;
  /** Continue from the checkpoint in `checkpoint` when there is one. Default false. */
  readonly resume?: boolean;
  /** Default `'auto'`. */
  readonly progress?: ProgressMode;
  /**
   * Where progress goes. Default: standard error (the console outside Node.js). In `'lines'` mode it gets whole
   * lines without a newline; in `'bar'` mode, redraws that start with `\r`, and a newline when an epoch ends.
   */
  readonly log?: (text: string) => void;
  /**
   * Measure train loss and metric with a full evaluation pass after each epoch (in inference mode, like the
   * test source) instead of averaging the batches as they train. Default false.
   */
  readonly evaluateTrain?: boolean;
  /**
   * Data-parallel training on worker threads (Node.js, wasm or cpu backend): that many replicas of the model, each
   * batch split across them in fixed contiguous shards, gradients averaged by shard size (the full-batch gradient
   * up to float rounding), the same update applied to every replica. `1` trains on the calling thread exactly as
   * without this option. Default `'auto'`: every core when the model has enough arithmetic per step to gain
   * (see {@link chooseWorkers}), else 1. With more than one worker, `model` receives the replicas' weights at the
   * end of every epoch (callbacks during an epoch see its starting weights), each replica normalises
   * BatchNormalization with its own shard's statistics and the moving statistics are averaged by shard size, and
   * an optimizer instance passed in is copied into the replicas, not advanced itself.
   */
  readonly workers?: WorkersSpec;
}
