export { train } from './train.js';
export { evaluate } from './evaluate.js';
export type { Evaluation } from './evaluate.js';
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
