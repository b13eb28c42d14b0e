import type * as tf from '@tensorflow/tfjs';
import { loadMnist } from '@graft/datasets';

/**
 * The first `count` MNIST test digits as `[count, 28, 28, 1]` floats in [0, 1], from `@graft/datasets`.
 * The caller disposes the tensor.
 */
export async function mnistDigits(count: number): Promise<tf.Tensor> {
  const mnist = await loadMnist({ limit: { train: 0, test: count } });
  const batch = mnist.test.toTensors();
  batch.ys.dispose();
  return batch.xs;
}
