// `@graft/core/node`: graft's file IO, for Node only. Everything else (and `loadModelFrom` for URLs, IndexedDB and
// in-memory artifacts) is in the isomorphic main entry `@graft/core`.
export { loadModel } from './load-model.js';
export { saveModel } from './save-model.js';
export type { SaveModelOptions } from './save-model.js';
export { resolveWeightsPath } from './weights-path.js';
export type { LoadModelOptions } from '../io/artifacts.js';
