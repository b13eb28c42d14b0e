import * as tf from '@tensorflow/tfjs';

/**
 * A replica step moves every gradient into shared memory and every new weight back out. Through `dataSync()` and
 * `tf.tensor(values.slice())` that is two fresh arrays and three copies per variable on wasm, which cost a small
 * model more than its arithmetic. wasm keeps a tensor's values in its heap, so these functions copy once, straight
 * between shared memory and the heap, and allocate nothing in JavaScript. (Writing new weights into the heap in
 * place would save the new tensor too, but wasm's XNNPACK kernels keep packed copies of a matmul's weights by
 * tensor, which would then go stale.)
 */

interface HeapBackend {
  /** wasm: a view of a tensor's bytes in the module's heap. */
  typedArrayFromHeap?: (info: tf.TensorInfo) => unknown;
}

/** Copies float32 `tensor`'s values into `target` from `offset` on. */
export function copyValuesInto(tensor: tf.Tensor, target: Float32Array, offset: number): void {
  const heap = (tf.backend() as unknown as HeapBackend).typedArrayFromHeap?.(tensor);
  // cpu's dataSync() is its own array, no copy; wasm's would be a fresh one.
  target.set(heap instanceof Float32Array ? heap : tensor.dataSync<'float32'>(), offset);
}

/** A new float32 tensor on the current backend holding a copy of `values` (which may be shared memory). */
export function tensorOf(values: Float32Array, shape: readonly number[]): tf.Tensor {
  const copiesIntoHeap = typeof (tf.backend() as unknown as HeapBackend).typedArrayFromHeap === 'function';
  // cpu keeps the array it is given, and `values` is usually a view of memory the next step rewrites.
  return tf.tensor(copiesIntoHeap ? values : values.slice(), [...shape], 'float32');
}
