import type * as tf from '@tensorflow/tfjs';

interface Counted {
  _refCount: number | null;
  dispose(): unknown;
}

/**
 * Disposes a model and all its weights, including those of layers called at several sites. `model.dispose()` alone
 * leaves such layers' weights allocated: tfjs counts one reference per call but releases one per model.
 * Only for models whose layers belong to no other model (as those built by `grow`, `fromGraph` and `loadModel`).
 */
export function disposeModel(model: tf.LayersModel): void {
  const layers = model.layers as unknown as Counted[];
  model.dispose();
  for (const layer of layers) {
    while (typeof layer._refCount === 'number' && layer._refCount > 0) layer.dispose();
  }
}
