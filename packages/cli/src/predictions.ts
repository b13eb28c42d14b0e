import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';

/** How two models' predictions on the same random inputs compare. */
export interface Comparison {
  /** Largest |a − b| over every output element. */
  readonly maxAbsDiff: number;
  /** Fraction (0..1) of predictions whose argmax over the last axis agrees, over every output. */
  readonly argmaxAgreement: number;
  /** Largest |a| over every output of the first model: what the tolerance is relative to. */
  readonly scale: number;
  readonly samples: number;
}

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

function predictAll(model: tf.LayersModel, inputs: tf.Tensor[]): tf.Tensor[] {
  const out = model.predict(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, { batchSize: 32 });
  return Array.isArray(out) ? out : [out];
}

/**
 * Predicts `samples` seeded random inputs with both models and compares every output.
 * @throws GraftError `INVALID_ARGUMENT` when the models' shapes differ; `UNSUPPORTED_MODEL` (see {@link randomInputsFor}).
 */
export async function comparePredictions(a: tf.LayersModel, b: tf.LayersModel, samples: number, seed = 1): Promise<Comparison> {
  assertSameSignature(a, b);
  const inputs = randomInputsFor(a, samples, seed);
  try {
    const [diff, scale, agree, total] = tf.tidy(() => {
      const ya = predictAll(a, inputs);
      const yb = predictAll(b, inputs);
      let maxDiff: tf.Tensor = tf.scalar(0);
      let maxScale: tf.Tensor = tf.scalar(0);
      let agreeing: tf.Tensor = tf.scalar(0);
      let count = 0;
      ya.forEach((outA, i) => {
        const outB = yb[i] as tf.Tensor;
        maxDiff = tf.maximum(maxDiff, tf.max(tf.abs(tf.sub(outA, outB))));
        maxScale = tf.maximum(maxScale, tf.max(tf.abs(outA)));
        agreeing = tf.add(agreeing, tf.sum(tf.cast(tf.equal(tf.argMax(outA, -1), tf.argMax(outB, -1)), 'float32')));
        count += outA.size / (outA.shape[outA.rank - 1] ?? 1);
      });
      return [maxDiff, maxScale, agreeing, tf.scalar(count)];
    });
    const [maxAbsDiff, maxScale, agreeing, count] = await Promise.all([diff, scale, agree, total].map(async (t) => (await t.data())[0] as number));
    tf.dispose([diff, scale, agree, total]);
    return { maxAbsDiff: maxAbsDiff as number, argmaxAgreement: (agreeing as number) / Math.max(1, count as number), scale: maxScale as number, samples };
  } finally {
    tf.dispose(inputs);
  }
}

/**
 * True when predictions agree within `tolerance` relative to the outputs' size: the allowed difference is
 * `tolerance × max(1, largest |output|)`, so softmax outputs get an absolute bound and large logits a relative one.
 * NaN anywhere counts as not preserved.
 */
export function isPreserved(comparison: Comparison, tolerance: number): boolean {
  return comparison.maxAbsDiff <= tolerance * Math.max(1, comparison.scale) && comparison.argmaxAgreement === 1;
}
