export { loadMnist, loadFashionMnist, loadDataset } from './load.js';
export type { Dataset, DatasetName, LoadOptions } from './load.js';
export { DataSplit } from './split.js';
export type { Batch, BatchOptions, DataSplitOptions } from './split.js';
export { parseIdx } from './idx.js';
export type { IdxData, IdxExpectation } from './idx.js';
