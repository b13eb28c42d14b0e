export { loadMnist, loadFashionMnist, loadDataset } from './load.js';
export type { Dataset, DatasetName, LoadOptions } from './load.js';
export { DataSplit } from './split.js';
export type { ImageBatch, DataSplitOptions } from './split.js';
export type { Batch, BatchOptions, BatchSource } from '@graft/core';
export { withSampleShape } from './reshape.js';
export { parseIdx } from './idx.js';
export type { IdxData, IdxExpectation } from './idx.js';
