export { GraftError, isGraftError } from './errors.js';
export type { GraftErrorCode, GraftErrorOptions } from './errors.js';
export type { ModelGraph, LayerNode, TensorRef, WeightValue, Shape } from './graph/types.js';
export type { SurgeryStrategy, Site, ApplyResult, StrategyOptions } from './strategy.js';
export { addedLayers, readGraftMetadata, appendGrowthRecord, GRAFT_METADATA_KEY } from './metadata.js';
export type { GraftMetadata, GrowthRecord } from './metadata.js';
