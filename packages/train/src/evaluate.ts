import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import type { DataSplit } from '@graft/datasets';

/** Loss and accuracy of a model on a split. */
export interface Evaluation {
  /** Mean categorical cross-entropy. */
  readonly loss: number;
  /** Percent correct, 0–100. */
  readonly accuracy: number;
}

/**
 * Mean categorical cross-entropy and accuracy (in percent, 0–100) of `model` on `split`, in inference mode, batch by
 * batch so memory stays small. The model must end in softmax (its outputs are read as probabilities).
 *
 * @throws GraftError `INVALID_ARGUMENT` when the split is empty or `batchSize` is not a positive integer.
 */
export async function evaluate(model: tf.LayersModel, split: DataSplit, batchSize = 256): Promise<Evaluation> {
  if (split.size === 0) throw new GraftError('INVALID_ARGUMENT', 'Cannot evaluate on an empty split.');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new GraftError('INVALID_ARGUMENT', `batchSize must be a positive integer; got ${batchSize}.`);
  }
  let lossSum = 0;
  let correct = 0;
  for (const batch of split.batches(batchSize)) {
    const [loss, hits] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
      const predictions = model.predict(batch.xs) as tf.Tensor;
      return [tf.sum(tf.metrics.categoricalCrossentropy(batch.ys, predictions)), countCorrect(batch.ys, predictions)];
    });
    tf.dispose([batch.xs, batch.ys]);
    lossSum += (await loss.data())[0] as number;
    correct += (await hits.data())[0] as number;
    tf.dispose([loss, hits]);
  }
  return { loss: lossSum / split.size, accuracy: (100 * correct) / split.size };
}

/** Number of rows whose largest prediction is the labelled class. */
export function countCorrect(oneHot: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(predictions, -1), tf.argMax(oneHot, -1)), 'float32'));
}
