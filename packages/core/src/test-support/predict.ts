import * as tf from '@tensorflow/tfjs';

/** Predictions of a model on inputs, as plain arrays per output (tensors released). */
export function predictAll(model: tf.LayersModel, inputs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

/** Largest absolute difference between two prediction sets. */
export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((values, i) => {
    const other = b[i]!;
    if (other.length !== values.length) throw new Error(`Output ${i} sizes differ: ${values.length} vs ${other.length}`);
    values.forEach((v, j) => (max = Math.max(max, Math.abs(v - other[j]!))));
  });
  return max;
}
