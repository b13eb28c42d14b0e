import * as tf from '@tensorflow/tfjs';
import { GraftError, type Batch } from '@graft/core';
import { IndexedSource } from './indexed-source.js';

/** Options of {@link fromTensors}. */
export interface FromTensorsOptions {
  /** Class names, in class-index order, when `ys` holds class indices. */
  readonly classes?: readonly string[];
}

/**
 * A batch source over tensors already in memory: row `i` of every input and of `ys` is sample `i`. Batches are
 * gathered rows (new tensors the consumer disposes); `xs` and `ys` stay the caller's. When `ys` is an `int32`
 * vector of class indices, validation splits are stratified by it.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the tensors disagree on the number of samples.
 */
export function fromTensors(xs: tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>, ys: tf.Tensor, options: FromTensorsOptions = {}): IndexedSource {
  const count = ys.shape[0];
  const inputs = xs instanceof tf.Tensor ? [xs] : Array.isArray(xs) ? xs : Object.values(xs);
  if (count === undefined || inputs.length === 0 || inputs.some((x) => x.shape[0] !== count)) {
    throw new GraftError(
      'INVALID_ARGUMENT',
      `fromTensors needs the same number of rows in every input and in ys; got ${inputs.map((x) => `[${x.shape.join(', ')}]`).join(', ')} and ys [${ys.shape.join(', ')}].`,
    );
  }
  const gather = (t: tf.Tensor, indices: tf.Tensor1D): tf.Tensor => tf.gather(t, indices);
  const load = (ids: Uint32Array): Batch =>
    tf.tidy(() => {
      const indices = tf.tensor1d(Int32Array.from(ids), 'int32');
      const picked = xs instanceof tf.Tensor ? gather(xs, indices) : Array.isArray(xs) ? xs.map((x) => gather(x, indices)) : Object.fromEntries(Object.entries(xs).map(([name, x]) => [name, gather(x, indices)]));
      return { xs: picked, ys: gather(ys, indices) };
    });
  const labels = ys.rank === 1 && ys.dtype === 'int32' ? (ys.dataSync() as Int32Array) : undefined;
  return new IndexedSource(count, load, { ...(labels === undefined ? {} : { labels }), ...(options.classes === undefined ? {} : { classes: options.classes }) });
}
