import { GraftError } from '@graft/core';
import type { CheckpointStore } from './checkpoint-store.js';
import { METRICS_OF_TASK } from './metrics.js';
import type { SourceView } from './source.js';
import type { TaskName, TaskOption } from './task.js';
import type { EarlyStoppingOptions, EpochStats, OptimizerSpec, TrainOptions, TrainableSpec } from './types.js';

/** {@link TrainOptions} with defaults filled in and every value checked. */
export interface Settings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerSpec;
  readonly learningRate: number;
  readonly trainable: TrainableSpec;
  readonly unfreezeAfter: number | undefined;
  readonly earlyStopping: EarlyStoppingOptions | undefined;
  readonly task: TaskOption;
  readonly checkpoint: CheckpointStore | undefined;
  readonly resume: boolean;
  readonly evaluateTrain: boolean;
}

/**
 * Fills in defaults and checks every option before any work starts.
 *
 * @throws GraftError `INVALID_ARGUMENT` naming the option and what it expected.
 */
export function resolveSettings(data: { train: SourceView; test: SourceView | undefined }, options: TrainOptions): Settings {
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const learningRate = options.learningRate ?? 1e-3;
  positiveInteger('epochs', epochs);
  positiveInteger('batchSize', batchSize);
  if (!(Number.isFinite(learningRate) && learningRate > 0)) bad(`learningRate must be a positive number; got ${learningRate}.`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) bad(`seed must be an integer; got ${options.seed}.`);
  if (options.unfreezeAfter !== undefined && !(Number.isInteger(options.unfreezeAfter) && options.unfreezeAfter >= 0)) {
    bad(`unfreezeAfter must be a non-negative integer; got ${options.unfreezeAfter}.`);
  }
  if (data.train.size === 0) bad('The training split is empty.');
  const stopping = options.earlyStopping;
  if (stopping !== undefined) {
    const metrics = [...new Set(Object.values(METRICS_OF_TASK).flat())];
    if (!metrics.includes(stopping.metric)) bad(`earlyStopping.metric must be one of ${metrics.join(', ')}; got ${String(stopping.metric)}.`);
    if (stopping.metric.startsWith('test') && (data.test === undefined || data.test.size === 0)) {
      bad(`earlyStopping on ${stopping.metric} needs a non-empty test split.`);
    }
    positiveInteger('earlyStopping.patience', stopping.patience);
  }
  const task = options.task ?? 'auto';
  if (!['auto', 'classification', 'regression', 'language-model'].includes(task)) {
    bad(`task must be auto, classification, regression or language-model; got ${String(task)}.`);
  }
  if (options.resume === true && options.checkpoint === undefined) bad('resume needs a checkpoint to resume from.');
  return {
    epochs,
    batchSize,
    optimizer: options.optimizer ?? 'adam',
    learningRate,
    trainable: options.trainable ?? 'all',
    unfreezeAfter: options.unfreezeAfter,
    earlyStopping: stopping,
    task,
    checkpoint: options.checkpoint,
    resume: options.resume === true,
    evaluateTrain: options.evaluateTrain === true,
  };
}

/**
 * Checks that early stopping watches a metric of `task`, once the task is known (before the first step).
 *
 * @throws GraftError `INVALID_ARGUMENT` naming the task's metrics.
 */
export function checkStoppingMetric(stopping: EarlyStoppingOptions | undefined, task: TaskName): void {
  const metrics = METRICS_OF_TASK[task];
  if (stopping !== undefined && !metrics.includes(stopping.metric)) {
    bad(`earlyStopping.metric ${stopping.metric} is not measured for ${task}; expected one of ${metrics.join(', ')}.`);
  }
}

/**
 * Whether early stopping ends the run after the epochs in `history`: the watched metric has gone `patience`
 * epochs in a row without improving on its best by more than `minDelta`. Computed from the history alone, so a
 * resumed run decides exactly as an uninterrupted one.
 */
export function shouldStop(history: readonly EpochStats[], stopping: EarlyStoppingOptions | undefined): boolean {
  if (stopping === undefined) return false;
  const direction = stopping.metric.endsWith('Accuracy') ? 1 : -1;
  const minDelta = stopping.minDelta ?? 0;
  let best: number | undefined;
  let wait = 0;
  for (const stats of history) {
    const value = stats[stopping.metric];
    if (value === undefined) continue;
    if (best === undefined || direction * (value - best) > minDelta) {
      best = value;
      wait = 0;
    } else {
      wait++;
    }
  }
  return wait >= stopping.patience;
}

function positiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0)) bad(`${name} must be a positive integer; got ${value}.`);
}

function bad(message: string): never {
  throw new GraftError('INVALID_ARGUMENT', message);
}
