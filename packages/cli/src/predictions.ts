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

/**
 * Seeded random inputs for every input of `model`: uniform in [0, 1] for image-like inputs ([height, width,
 * channels], standing in for pixels), in [−1, 1] otherwise. The caller disposes them.
 *
 * @throws GraftError `UNSUPPORTED_MODEL` when an input has an unknown dimension besides the batch.
 */
export function randomInputsFor(model: tf.LayersModel, samples: number, seed = 1): tf.Tensor[] {
  return inputShapes(model).map((shape, i) => tf.randomUniform([samples, ...shape], shape.length === 3 ? 0 : -1, 1, 'float32', seed + i));
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
