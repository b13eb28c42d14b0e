import * as tf from '@tensorflow/tfjs';

/** Options for {@link buildReferenceModel}. */
export interface ReferenceModelOptions {
  /** Seed for the weight initialisers; the same seed gives the same weights on every backend (default 42). */
  readonly seed?: number;
}

/** Input shape of the reference model: 28×28 grey-scale images. */
export const REFERENCE_INPUT_SHAPE = [28, 28, 1] as const;

/** Number of classes the reference model predicts. */
export const REFERENCE_CLASSES = 10;

/**
 * The reference model graft benchmarks and tests with (the seed MNIST experiment):
 * Conv2D(32, 3×3, relu, input 28×28×1) → Flatten → Dense(20, relu) → Dense(10, softmax).
 * Kernels use seeded Glorot-uniform initialisers and biases start at zero, so runs are reproducible.
 * The model is returned uncompiled.
 */
export function buildReferenceModel(options: ReferenceModelOptions = {}): tf.Sequential {
  const seed = options.seed ?? 42;
  return tf.sequential({
    name: 'reference',
    layers: [
      tf.layers.conv2d({
        name: 'conv',
        inputShape: [...REFERENCE_INPUT_SHAPE],
        filters: 32,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({
        name: 'hidden',
        units: 20,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
      tf.layers.dense({
        name: 'output',
        units: REFERENCE_CLASSES,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      }),
    ],
  });
}
