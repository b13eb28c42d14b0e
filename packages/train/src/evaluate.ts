import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { Tally, type Measured } from './metrics.js';
import { batchSize, batchTensors, modelInputs, viewOf, type DataInput } from './source.js';
import { resolveTask, type Task, type TaskName, type TaskOption } from './task.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Samples per forward pass. Default 256. */
  readonly batchSize?: number;
  /** Default `'auto'`, as for `train`. */
  readonly task?: TaskOption;
  /** Also count a confusion matrix (classification only). Default false. */
  readonly confusion?: boolean;
  /**
   * A model to compare predictions with on the same batches (the source a model was grown from): the result then
   * has `maxAbsDiff`, so checking that growth changed nothing costs one forward pass of each model, not two of the
   * grown one. It must take the same inputs and give predictions of the same shape.
   */
  readonly reference?: tf.LayersModel;
}

/** Loss and the task's metric of a model on some data. */
export interface Evaluation extends Measured {
  readonly task: TaskName;
  /** Number of samples evaluated. */
  readonly samples: number;
  /**
   * With `confusion`, for classification: `confusion[label][predicted]` counts the labels (samples or tokens) of
   * class `label` that the model predicted as `predicted`.
   */
  readonly confusion?: number[][];
  /**
   * With `reference`: the largest absolute difference between the two models' predictions over the data
   * (`Infinity` when either gives NaN, so a broken model never looks equal).
   */
  readonly maxAbsDiff?: number;
}

/**
 * The loss and the task's metric (accuracy in percent for classification, MAE for regression, perplexity for a
 * language model) of `model` on `data`, in inference mode, batch by batch so memory stays small. The task is
 * inferred as `train` does, unless given.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the data is empty, `batchSize` is not a positive integer, or the task
 * does not fit the model and the labels.
 */
export async function evaluate(model: tf.LayersModel, data: DataInput, options: EvaluateOptions = {}): Promise<Evaluation> {
  const size = options.batchSize ?? 256;
  if (!Number.isInteger(size) || size < 1) {
    throw new GraftError('INVALID_ARGUMENT', `batchSize must be a positive integer; got ${size}.`);
  }
  const view = viewOf(data, 'evaluation');
  if (view.size === 0) throw new GraftError('INVALID_ARGUMENT', 'Cannot evaluate on empty data.');
  let task: Task | undefined;
  let samples = 0;
  const tally = new Tally();
  let confusion: number[][] | undefined;
  let maxAbsDiff: number | undefined;
  const reference = options.reference;
  for await (const batch of view.batches(size, {})) {
    try {
      task ??= resolveTask(model, options.task ?? 'auto', batch.ys);
      if (options.confusion === true && task.name !== 'classification') {
        throw new GraftError('INVALID_ARGUMENT', `A confusion matrix needs classification; this is ${task.name}.`);
      }
      const current = task;
      const [loss, metric, difference, predicted, labels] = tf.tidy(() => {
        const predictions = model.predict(modelInputs(model, batch.xs)) as tf.Tensor;
        const counts = options.confusion === true ? [tf.argMax(predictions, -1), current.labelIndices(batch.ys, predictions)] : [];
        const apart = reference === undefined ? tf.scalar(0) : largestDifference(predictions, reference.predict(modelInputs(reference, batch.xs)) as tf.Tensor);
        return [current.loss(batch.ys, predictions), current.metricSum(batch.ys, predictions) ?? tf.scalar(0), apart, ...counts];
      });
      tally.add((await loss.data())[0] as number, (await metric.data())[0] as number, current.units(batch.ys));
      if (reference !== undefined) {
        const value = (await difference.data())[0] as number;
        // NaN must not hide behind Math.max's comparison.
        maxAbsDiff = Number.isNaN(value) ? Infinity : Math.max(maxAbsDiff ?? 0, value);
      }
      if (predicted !== undefined && labels !== undefined && current.classes !== undefined) {
        confusion ??= Array.from({ length: current.classes }, () => new Array<number>(current.classes as number).fill(0));
        const [p, l] = [await predicted.data(), await labels.data()];
        const matrix = confusion;
        l.forEach((label, i) => {
          const row = matrix[label];
          const column = p[i] as number;
          if (row !== undefined) row[column] = (row[column] ?? 0) + 1;
        });
      }
      tf.dispose([loss, metric, difference, predicted, labels].filter((t): t is tf.Tensor => t !== undefined));
      samples += batchSize(batch, 'evaluation');
    } finally {
      tf.dispose(batchTensors(batch));
    }
  }
  if (task === undefined || samples === 0) throw new GraftError('INVALID_ARGUMENT', 'Cannot evaluate on empty data.');
  return {
    task: task.name,
    ...tally.result(task.name),
    samples,
    ...(confusion === undefined ? {} : { confusion }),
    ...(maxAbsDiff === undefined ? {} : { maxAbsDiff }),
  };
}

function largestDifference(predictions: tf.Tensor, expected: tf.Tensor): tf.Tensor {
  if (!tf.util.arraysEqual(predictions.shape, expected.shape)) {
    throw new GraftError('INVALID_ARGUMENT', `The reference model predicts [${expected.shape.join(', ')}] where the model predicts [${predictions.shape.join(', ')}]; compare models with the same inputs and outputs.`);
  }
  return tf.max(tf.abs(tf.sub(predictions, expected)));
}
