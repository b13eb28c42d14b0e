import type * as tf from '@tensorflow/tfjs';
import { classNames, GraftError } from '@graft/core';

/** What a model takes and gives, for checks and messages. */
export interface ModelSignature {
  /** Per-sample input shapes, e.g. `[[28, 28, 1]]`. */
  readonly inputs: readonly (readonly number[])[];
  /** Per-sample output shapes. */
  readonly outputs: readonly (readonly number[])[];
  /** The last activation of the (first) output: `softmax`, `linear`, … */
  readonly activation: string;
  /** `The model takes [3] and gives [4] (softmax)`. */
  readonly described: string;
}

/** The model's inputs, outputs and final activation. */
export function signatureOf(model: tf.LayersModel): ModelSignature {
  const shapes = (tensors: readonly tf.SymbolicTensor[]): number[][] => tensors.map((t) => t.shape.slice(1) as number[]);
  const output = model.outputs[0];
  const layer = output?.sourceLayer;
  const config = layer === undefined ? undefined : (layer.getConfig() as { activation?: unknown; layer?: { config?: { activation?: unknown } } });
  // A TimeDistributed wrapper has no activation of its own: its inner layer's is the output's.
  const configured = config?.activation ?? (layer?.getClassName() === 'TimeDistributed' ? config?.layer?.config?.activation : undefined);
  const activation = layer?.getClassName() === 'Softmax' ? 'softmax' : typeof configured === 'string' ? configured : 'linear';
  const inputs = shapes(model.inputs);
  const outputs = shapes(model.outputs);
  const list = (s: number[][]): string => s.map((shape) => JSON.stringify(shape)).join(', ');
  return { inputs, outputs, activation, described: `The model takes ${list(inputs)} and gives ${list(outputs)} (${activation})` };
}

/** Whether the model's one output is a regression output: one unit, not softmax. */
export function isRegressionOutput(signature: ModelSignature): boolean {
  return signature.outputs.length === 1 && JSON.stringify(signature.outputs[0]) === '[1]' && signature.activation !== 'softmax';
}

/**
 * Checks the model has one input of `input` and one output that fits the task: `classes.length` units (softmax or
 * linear logits) for classification, one non-softmax unit for regression.
 *
 * @throws GraftError `UNSUPPORTED_MODEL` naming both shapes (and the class count against the output units).
 */
export function assertFits(signature: ModelSignature, name: string, input: readonly number[], task: { classes: readonly string[] } | 'regression'): void {
  const inputFits = signature.inputs.length === 1 && JSON.stringify(signature.inputs[0]) === JSON.stringify(input);
  const needs =
    task === 'regression'
      ? 'one linear output of [1] for its numeric targets'
      : `one softmax output of [${task.classes.length}] for its ${task.classes.length} classes (${abbreviated(task.classes)})`;
  const outputFits =
    task === 'regression'
      ? isRegressionOutput(signature)
      : signature.outputs.length === 1 && JSON.stringify(signature.outputs[0]) === `[${task.classes.length}]` && (signature.activation === 'softmax' || signature.activation === 'linear');
  if (!inputFits || !outputFits) {
    throw new GraftError('UNSUPPORTED_MODEL', `${signature.described}; ${name} needs one input of ${JSON.stringify(input)} and ${needs}.`);
  }
}

/**
 * Checks the class names the model's metadata records (from earlier training) are the data's.
 *
 * @throws GraftError `UNSUPPORTED_MODEL` naming both lists.
 */
export function assertSameClasses(model: tf.LayersModel, name: string, classes: readonly string[]): void {
  const recorded = classNames(model);
  if (recorded !== undefined && recorded.join('\n') !== classes.join('\n')) {
    throw new GraftError('UNSUPPORTED_MODEL', `The model's output units stand for ${abbreviated(recorded)} (its metadata); ${name} has the classes ${abbreviated(classes)}.`);
  }
}

function abbreviated(names: readonly string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, … (${names.length})`;
}
