import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';

/**
 * What a model is trained to do, which decides its loss and metrics:
 * - `'classification'`: cross-entropy and accuracy (percent), one label per sample or one per token;
 * - `'regression'`: mean squared error and mean absolute error;
 * - `'language-model'`: per-token cross-entropy and perplexity (`exp` of the mean token loss).
 */
export type TaskName = 'classification' | 'regression' | 'language-model';

/** The `task` option: a task, or `'auto'` to infer it from the model's output and the labels. */
export type TaskOption = 'auto' | TaskName;

/** How a task reads one batch: the mean loss (differentiable) and the sum of its metric over the batch's labels. */
export interface Task {
  readonly name: TaskName;
  /** What was found, for messages: `classification over 10 classes (softmax output, one-hot labels)`. */
  readonly description: string;
  /** Mean loss over the batch's labels (tokens, for per-token tasks; values, for regression). */
  loss(ys: tf.Tensor, predictions: tf.Tensor): tf.Scalar;
  /** Sum over the batch of correct predictions (classification) or absolute errors (regression); none otherwise. */
  metricSum(ys: tf.Tensor, predictions: tf.Tensor): tf.Scalar | undefined;
  /** The class index of every label, shaped like the predictions without their class axis (cross-entropy tasks). */
  labelIndices(ys: tf.Tensor, predictions: tf.Tensor): tf.Tensor;
  /** Number of labels in `ys`: samples, tokens, or target values. */
  units(ys: tf.Tensor): number;
  /** Number of classes (the output's last dimension) for the cross-entropy tasks. */
  readonly classes?: number;
}

/**
 * Chooses the task for `model` and labels shaped like `ys` (one batch): the option given, or, for `'auto'`,
 * classification for a softmax output (or a linear output over several classes with integer labels), regression
 * for a one-unit linear output or float targets of the output's own shape. A language model is never guessed
 * (its data looks like per-token classification); ask for it by name.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the task cannot be inferred, or the one asked for does not fit the
 * model's output and the labels (both shapes named).
 */
export function resolveTask(model: tf.LayersModel, option: TaskOption, ys: tf.Tensor): Task {
  if (model.outputs.length !== 1) {
    throw new GraftError('INVALID_ARGUMENT', `Model "${model.name}" has ${model.outputs.length} outputs; train and evaluate take a model with one output.`);
  }
  const output = model.outputs[0] as tf.SymbolicTensor;
  const outShape = output.shape.slice(1) as number[];
  const activation = outputActivation(output);
  const labelShape = ys.shape.slice(1);
  const classes = outShape[outShape.length - 1] ?? 1;
  const sameShape = labelShape.join(',') === outShape.join(',');
  // Class indices: one fewer axis than the output ([batch] against [batch, classes], [batch, time] against
  // [batch, time, classes]), or a trailing axis of 1 ([batch, 1]).
  const sparse = labelShape.length === outShape.length - 1 && labelShape.join(',') === outShape.slice(0, -1).join(',');
  const sparseWithUnit = outShape.length === 1 && labelShape.join(',') === '1';
  const found = `labels of shape [${labelShape.join(', ')}] (${ys.dtype}) against output [${outShape.join(', ')}] (${activation})`;
  const refuse = (what: string): never => {
    throw new GraftError('INVALID_ARGUMENT', `${what}: the model gives ${found}.`);
  };
  const crossEntropy = (name: 'classification' | 'language-model'): Task => {
    if (classes < 2) refuse(`${name} needs an output over 2 or more classes`);
    if (activation !== 'softmax' && activation !== 'linear') refuse(`${name} needs a softmax (or linear logits) output`);
    if (name === 'language-model' && !(outShape.length === 2 && sparse)) refuse('language-model needs one token id per position, [batch, time] labels against a [batch, time, vocabulary] output');
    if (!(sparse || sparseWithUnit || (sameShape && name === 'classification'))) {
      refuse(`${name} needs one class index per ${outShape.length === 2 ? 'token' : 'sample'} or one-hot labels of the output's shape`);
    }
    return crossEntropyTask(name, classes, activation === 'softmax', sameShape && !sparseWithUnit ? 'one-hot' : 'index', found);
  };
  const regression = (): Task => {
    if (activation === 'softmax') refuse('regression needs an output that is not softmax');
    const fits = sameShape || (classes === 1 && labelShape.join(',') === outShape.slice(0, -1).join(','));
    if (!fits) refuse('regression needs float targets of the output\'s shape');
    return regressionTask(outShape, found);
  };
  if (option === 'classification' || option === 'language-model') return crossEntropy(option);
  if (option === 'regression') return regression();
  if (option !== 'auto') {
    throw new GraftError('INVALID_ARGUMENT', `Unknown task "${String(option)}"; expected auto, classification, regression or language-model.`);
  }
  if (activation === 'softmax') return crossEntropy('classification');
  if (activation === 'linear' && classes === 1) return regression();
  if (activation === 'linear' && (sparse || sparseWithUnit) && ys.dtype === 'int32') return crossEntropy('classification');
  if (activation === 'linear' && sameShape && ys.dtype === 'float32') return regression();
  return refuse('Cannot infer the task (classification needs a softmax output or integer labels, regression a linear output of the targets\' shape); pass task');
}

/**
 * The last activation of the layer making `output`: `softmax`, `linear`, or another name. A wrapper without an
 * activation of its own (TimeDistributed) gives its inner layer's, so `TimeDistributed(Dense softmax)` is softmax.
 */
function outputActivation(output: tf.SymbolicTensor): string {
  const layer = output.sourceLayer;
  if (layer.getClassName() === 'Softmax') return 'softmax';
  const config = layer.getConfig() as { activation?: unknown; layer?: { config?: { activation?: unknown } } };
  const activation = config.activation ?? (layer.getClassName() === 'TimeDistributed' ? config.layer?.config?.activation : undefined);
  return typeof activation === 'string' ? activation : 'linear';
}

function crossEntropyTask(name: 'classification' | 'language-model', classes: number, probabilities: boolean, labels: 'one-hot' | 'index', found: string): Task {
  const oneHot = (ys: tf.Tensor, predictions: tf.Tensor): tf.Tensor =>
    labels === 'one-hot' ? ys : tf.oneHot(tf.reshape(tf.cast(ys, 'int32'), [-1]), classes).reshape(predictions.shape);
  const indices = (ys: tf.Tensor, predictions: tf.Tensor): tf.Tensor =>
    labels === 'one-hot' ? tf.argMax(ys, -1) : tf.reshape(tf.cast(ys, 'int32'), predictions.shape.slice(0, -1));
  return {
    name,
    classes,
    description: `${name} over ${classes} classes (${found})`,
    loss: (ys, predictions) =>
      probabilities
        ? tf.mean<tf.Scalar>(tf.metrics.categoricalCrossentropy(oneHot(ys, predictions), predictions))
        : (tf.neg(tf.mean(tf.sum(tf.mul(oneHot(ys, predictions), tf.logSoftmax(predictions)), -1))) as tf.Scalar),
    labelIndices: indices,
    metricSum: (ys, predictions) =>
      name === 'language-model' ? undefined : tf.sum<tf.Scalar>(tf.cast(tf.equal(tf.argMax(predictions, -1), indices(ys, predictions)), 'float32')),
    units: (ys) => (labels === 'one-hot' ? ys.size / classes : ys.size),
  };
}

function regressionTask(outShape: readonly number[], found: string): Task {
  const aligned = (ys: tf.Tensor, predictions: tf.Tensor): tf.Tensor => tf.reshape(tf.cast(ys, 'float32'), predictions.shape);
  return {
    name: 'regression',
    description: `regression of ${outShape.reduce((a, b) => a * b, 1)} value(s) per sample (${found})`,
    loss: (ys, predictions) => tf.mean<tf.Scalar>(tf.squaredDifference(aligned(ys, predictions), predictions)),
    metricSum: (ys, predictions) => tf.sum<tf.Scalar>(tf.abs(tf.sub(aligned(ys, predictions), predictions))),
    labelIndices: () => {
      throw new GraftError('INVALID_ARGUMENT', 'Regression has no class labels.');
    },
    units: (ys) => ys.size,
  };
}
