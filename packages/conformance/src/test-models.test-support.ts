// Small helpers for the suite's own tests: fixture models grown with the sample strategies.
import * as tf from '@tensorflow/tfjs';

// The fixture growing helper is the one strategy packages' tests use (`@graft/conformance/testing`).
export { growFixture, type GrownFixture as Grown } from './testing.js';

/** Sets every value of the first weight of `layer` to `value` (NaN, say), to make a model that must fail. */
export function poison(model: tf.LayersModel, layer: string, value: number): void {
  const target = model.getLayer(layer);
  const [first, ...rest] = target.getWeights();
  if (first === undefined) throw new Error(`Layer ${layer} has no weights.`);
  const filled = tf.fill(first.shape, value);
  target.setWeights([filled, ...rest]);
  filled.dispose();
}
