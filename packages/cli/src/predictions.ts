import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import type { PreservationResult } from '@graft/conformance';

export type { PreservationResult } from '@graft/conformance';

const shapeText = (shape: readonly (number | null)[]): string => `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;

function inputShapes(model: tf.LayersModel): number[][] {
  return model.inputs.map((input) => {
    const shape = input.shape.slice(1);
    if (shape.some((d) => d === null)) {
      throw new GraftError('UNSUPPORTED_MODEL', `Input "${input.name}" has shape ${shapeText(input.shape)}; random inputs need every dimension but the batch to be known.`);
    }
    return shape as number[];
  });
}

interface LayerJson {
  readonly class_name: string;
  readonly config: { readonly input_dim?: number };
  readonly inbound_nodes?: readonly (readonly (readonly unknown[])[])[];
}

/**
 * The vocabulary of the Embeddings reading each model input (the smallest `input_dim`), or `undefined` for an input
 * no Embedding reads. Read from the topology alone: no weights are touched.
 */
function vocabularies(model: tf.LayersModel): (number | undefined)[] {
  const json = model.toJSON(null, false) as unknown as { class_name: string; config: { layers: LayerJson[] } };
  const layers = json.config.layers;
  const smallest = (readers: LayerJson[]): number | undefined => {
    const sizes = readers.filter((l) => l.class_name === 'Embedding').map((l) => Number(l.config.input_dim));
    return sizes.length === 0 ? undefined : Math.min(...sizes);
  };
  if (json.class_name === 'Sequential') return [smallest(layers.slice(0, 1))];
  return model.inputLayers.map((input) => smallest(layers.filter((l) => l.inbound_nodes?.some((call) => call.some((ref) => ref[0] === input.name)) === true)));
}

/**
 * Seeded random inputs for every input of `model`: token ids uniform in [0, vocabulary) for an input read by
 * Embeddings (int32, or float32 ids for a float input, as a Sequential model's), uniform in [0, 1] for image-like
 * inputs ([height, width, channels], standing in for pixels), in [−1, 1] otherwise. The caller disposes them.
 *
 * @throws GraftError `UNSUPPORTED_MODEL` when an input has an unknown dimension besides the batch.
 */
export function randomInputsFor(model: tf.LayersModel, samples: number, seed = 1): tf.Tensor[] {
  const vocabulary = vocabularies(model);
  return inputShapes(model).map((shape, i) => {
    const ids = vocabulary[i];
    if (ids === undefined) return tf.randomUniform([samples, ...shape], shape.length === 3 ? 0 : -1, 1, 'float32', seed + i);
    const tokens = tf.randomUniformInt([samples, ...shape], 0, ids, seed + i);
    if (model.inputs[i]?.dtype === 'int32') return tokens;
    const floats = tf.cast(tokens, 'float32');
    tokens.dispose();
    return floats;
  });
}

/**
 * Refuses to compare models that do not take and give tensors of the same shapes.
 * @throws GraftError `INVALID_ARGUMENT` saying which shapes differ.
 */
export function assertSameSignature(a: tf.LayersModel, b: tf.LayersModel): void {
  const describe = (tensors: readonly tf.SymbolicTensor[]): string => tensors.map((t) => shapeText(t.shape)).join(', ');
  for (const side of ['inputs', 'outputs'] as const) {
    if (describe(a[side]) !== describe(b[side])) {
      throw new GraftError('INVALID_ARGUMENT', `The models' ${side} differ: ${describe(a[side])} vs ${describe(b[side])}; expected two models with the same input and output shapes.`);
    }
  }
}

/**
 * Predicts `samples` seeded random inputs with both models and compares every output with the conformance suite's
 * `checkPreservation`, so the CLI and the strategies' own tests mean the same by "preserved": per output,
 * max |a − b| ≤ tolerance × max |a|, finite, and the same argmax (ties within the tolerance count as agreeing).
 *
 * @throws GraftError `INVALID_ARGUMENT` when the models' shapes differ; `UNSUPPORTED_MODEL` (see {@link randomInputsFor}).
 */
export async function comparePredictions(a: tf.LayersModel, b: tf.LayersModel, samples: number, tolerance: number): Promise<PreservationResult> {
  assertSameSignature(a, b);
  // Imported on first use: the conformance package also carries the test harness, which commands without a
  // comparison need not load.
  const { checkPreservation } = await import('@graft/conformance');
  const inputs = randomInputsFor(a, samples);
  try {
    return checkPreservation(a, b, inputs, { tolerance });
  } finally {
    tf.dispose(inputs);
  }
}
