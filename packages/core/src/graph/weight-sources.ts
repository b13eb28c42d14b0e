import type * as tf from '@tensorflow/tfjs';
import type { WeightValue } from './types.js';

/**
 * Where each weight value copied out of a live model came from: the variable, and the data it held then. A graph
 * holds no tensors (they would leak or go stale); this side table lets `fromGraph` give a rebuilt layer the very data
 * its source still holds instead of a second copy of a 268 MB model. Entries go when their weight values do.
 */
const sources = new WeakMap<WeightValue, { readonly variable: tf.Tensor; readonly dataId: object }>();

/** Records that `value` was read from `variable` as it is now. */
export function rememberSource(value: WeightValue, variable: tf.Tensor): void {
  sources.set(value, { variable, dataId: variable.dataId });
}

/**
 * The variable `value` was read from, when it still holds exactly that data (not disposed, not assigned since:
 * tfjs never changes the data behind a data id, `assign` gives the variable a new one), or `undefined`.
 */
export function unchangedSource(value: WeightValue): tf.Tensor | undefined {
  const source = sources.get(value);
  if (source === undefined || source.variable.isDisposed || source.variable.dataId !== source.dataId) return undefined;
  return source.variable;
}
