import * as tf from '@tensorflow/tfjs';

/** Predictions of every output of `model`, as plain arrays. */
export function predictAll(model: tf.LayersModel, inputs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

/** Largest absolute difference between two lists of outputs (Infinity when they do not line up). */
export function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (x.length !== y.length) max = Infinity;
    else for (let j = 0; j < x.length; j++) max = Math.max(max, Math.abs(x[j]! - y[j]!));
  });
  return max;
}
