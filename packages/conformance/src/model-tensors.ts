import * as tf from '@tensorflow/tfjs';
import { fromGraph, toGraph } from '@graft/core';
import type { ModelInputs } from '@graft/fixtures/predict';

export { modelFeed, predictTensors, type ModelInputs } from '@graft/fixtures/predict';

/** The tensors of `inputs` as a list. */
export function inputList(inputs: ModelInputs): tf.Tensor[] {
  return Array.isArray(inputs) ? [...(inputs as readonly tf.Tensor[])] : [inputs as tf.Tensor];
}

/** A name for each weight that is stable across copies of a model: `<layer>/<weight>`, e.g. `dense_1/kernel`. */
export function weightLabel(layer: tf.layers.Layer, weight: tf.LayerVariable): string {
  const short = weight.originalName.split('/').pop() ?? weight.originalName;
  return `${layer.name}/${short}`;
}

/**
 * A fresh copy of `model` (weights and metadata copied bit for bit), so a check may train it without touching the
 * model it was given. The caller disposes the copy.
 */
export function copyModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  return fromGraph(toGraph(model));
}

/** True when every value is finite. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** The error's message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}
