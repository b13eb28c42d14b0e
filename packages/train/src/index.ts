export { train } from './train.js';
export { evaluate } from './evaluate.js';
export { chooseWorkers, MIN_FLOPS_PER_WORKER, trainingFlopsPerSample } from './parallel/workers.js';
export type { WorkerChoice, WorkersSpec } from './parallel/workers.js';
export type { Evaluation, EvaluateOptions } from './evaluate.js';
export type { Batch, BatchOptions, BatchSource } from '@graft/core';
export type { BatchDataset, DataInput } from './source.js';
export type { TaskName, TaskOption } from './task.js';
export type { Measured } from './metrics.js';
export { memoryCheckpoint } from './checkpoint-store.js';
export type { CheckpointStore, CheckpointFiles, StoredCheckpoint } from './checkpoint-store.js';
export type {
  TrainData,
  TrainOptions,
  TrainHistory,
  EpochStats,
  BatchStats,
  EarlyStoppingOptions,
  StoppingMetric,
  TrainableSpec,
  OptimizerSpec,
  ProgressMode,
} from './types.js';
