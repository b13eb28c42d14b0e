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
  for await (const batch of view.batches(size, {})) {
    try {
      task ??= resolveTask(model, options.task ?? 'auto', batch.ys);
      if (options.confusion === true && task.name !== 'classification') {
        throw new GraftError('INVALID_ARGUMENT', `A confusion matrix needs classification; this is ${task.name}.`);
      }
      const current = task;
      const [loss, metric, predicted, labels] = tf.tidy(() => {
        const predictions = model.predict(modelInputs(model, batch.xs)) as tf.Tensor;
        const counts = options.confusion === true ? [tf.argMax(predictions, -1), current.labelIndices(batch.ys, predictions)] : [];
        return [current.loss(batch.ys, predictions), current.metricSum(batch.ys, predictions) ?? tf.scalar(0), ...counts];
      });
      tally.add((await loss.data())[0] as number, (await metric.data())[0] as number, current.units(batch.ys));
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
      tf.dispose([loss, metric, predicted, labels].filter((t): t is tf.Tensor => t !== undefined));
      samples += batchSize(batch, 'evaluation');
    } finally {
      tf.dispose(batchTensors(batch));
    }
  }
  if (task === undefined || samples === 0) throw new GraftError('INVALID_ARGUMENT', 'Cannot evaluate on empty data.');
  return { task: task.name, ...tally.result(task.name), samples, ...(confusion === undefined ? {} : { confusion }) };
}
