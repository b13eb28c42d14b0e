import * as tf from '@tensorflow/tfjs';

/** Options for {@link wideDenseStack}. */
export interface WideDenseStackOptions {
  /** Units of every layer, and the input width (default 4096). */
  readonly width?: number;
  /** Number of Dense layers (default 4). */
  readonly depth?: number;
  /** Seed of the initialisers (default 42). */
  readonly seed?: number;
}

/**
 * The model surgery is measured on at scale: `depth` Dense layers of `width` units (`dense_1` … `dense_<depth>`, relu
 * but the last, linear) on a `[width]` input. The defaults give 4 × (4096² + 4096) = 67,125,248 parameters, 268 MB
 * of float32, the size of GPT-2 small's non-embedding weights; `graft grow` on it is what the benchmark's `surgery`
 * entry times. Kernels are seeded uniform in ±√(3 / width) (variance 1/width, like LeCun's), biases uniform in
 * ±0.1, so a seed always gives the same weights. Returned uncompiled; the caller disposes it.
 * @throws RangeError when `width` or `depth` is not a positive integer.
 */
export function wideDenseStack(options: WideDenseStackOptions = {}): tf.Sequential {
  const width = options.width ?? 4096;
  const depth = options.depth ?? 4;
  const seed = options.seed ?? 42;
  for (const [name, value] of [['width', width], ['depth', depth]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`wideDenseStack: ${name} must be a positive integer, got ${value}.`);
  }
  const limit = Math.sqrt(3 / width);
  return tf.sequential({
    name: 'wide_dense_stack',
    layers: Array.from({ length: depth }, (_, i) =>
      tf.layers.dense({
        name: `dense_${i + 1}`,
        units: width,
        activation: i === depth - 1 ? 'linear' : 'relu',
        kernelInitializer: tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: seed + 2 * i }),
        biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 2 * i + 1 }),
        ...(i === 0 ? { inputShape: [width] } : {}),
      }),
    ),
  });
}

/** Parameters of a {@link wideDenseStack} with these options (67,125,248 for the defaults). */
export function wideDenseStackParams(options: WideDenseStackOptions = {}): number {
  const width = options.width ?? 4096;
  return (options.depth ?? 4) * (width * width + width);
}
