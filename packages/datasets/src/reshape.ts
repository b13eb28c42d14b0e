import * as tf from '@tensorflow/tfjs';
import { GraftError, type Batch, type BatchSource } from '@graft/core';

/**
 * `source` with each sample's input reshaped to `shape` (for instance `[28, 28, 1]` images to `[784]` for a model
 * on flat inputs). The values and their order are unchanged; only single-tensor inputs can be reshaped.
 *
 * @throws GraftError `INVALID_ARGUMENT` (when a batch is made) if a sample's size differs from `shape`'s, or the
 * batch has several inputs.
 */
export function withSampleShape(source: BatchSource, shape: readonly number[]): BatchSource {
  const size = shape.reduce((a, b) => a * b, 1);
  const reshape = (batch: Batch): Batch => {
    const { xs, ys } = batch;
    if (!(xs instanceof tf.Tensor)) throw new GraftError('INVALID_ARGUMENT', 'withSampleShape reshapes one input tensor; this batch has several.');
    const n = xs.shape[0] ?? 0;
    if (xs.size !== n * size) {
      throw new GraftError('INVALID_ARGUMENT', `Samples of shape [${xs.shape.slice(1).join(', ')}] cannot become [${shape.join(', ')}].`);
    }
    const reshaped = tf.reshape(xs, [n, ...shape]);
    xs.dispose();
    return { xs: reshaped, ys };
  };
  return {
    get size() {
      return source.size;
    },
    batches(batchSize, options) {
      const inner = source.batches(batchSize, options);
      if (Symbol.asyncIterator in inner) {
        return (async function* () {
          for await (const batch of inner) yield reshape(batch);
        })();
      }
      return (function* () {
        for (const batch of inner) yield reshape(batch);
      })();
    },
  };
}
