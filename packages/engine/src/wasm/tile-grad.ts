import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { gradient, required } from './override.js';

/**
 * The gradient of `tile(x, reps)` as one reduction: `dy` reshaped to `[reps[0], x.shape[0], reps[1], …]` and summed
 * over the rep axes. tfjs' own gradient slices `dy` once per repetition and adds the slices one by one (1,024 Slice
 * and 1,024 Add kernels for a LayerNormalization gain tiled to [16, 64, 64], the bulk of a small GPT's step), and
 * stops at rank 4. Used on wasm; elsewhere tfjs' own gradient runs, so other backends compute as before.
 */
function tileGrad(original: GradConfig): GradConfig {
  return {
    kernelName: tf.Tile,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: NamedAttrMap) => {
      if (tf.getBackend() !== 'wasm') return original.gradFunc(dy, saved, attrs);
      const [x] = saved as [Tensor];
      const reps = attrs['reps'] as number[];
      const grad = (Array.isArray(dy) ? dy[0] : dy) as Tensor;
      return {
        x: () =>
          tf.tidy(() => {
            const split = x.shape.flatMap((size, axis) => [reps[axis] ?? 1, size]);
            const repAxes = x.shape.map((_, axis) => 2 * axis);
            return tf.reshape(tf.sum(tf.reshape(grad, split), repAxes), x.shape);
          }),
      };
    },
  };
}

export const tileGradOverride = gradient(tf.Tile, (original) => tileGrad(required(original, tf.Tile, 'gradient')));
