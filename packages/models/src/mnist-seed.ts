import * as tf from '@tensorflow/tfjs';

type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** Options for {@link mnistSeed}. */
export interface MnistSeedOptions {
  /** Seed for the initialisers; the same seed gives the same weights on every backend (default 42). */
  readonly seed?: number;
  /**
   * How the biases start: `'zeros'` (default, as the seed experiment trains it) or `'random'`, uniform in
   * [-0.1, 0.1], which tests use so that an identity check cannot pass by accident on all-zero biases.
   */
  readonly biases?: 'zeros' | 'random';
}

/** Input shape of the seed MNIST model (without the batch dimension): 28×28 grey-scale images. */
export const MNIST_SEED_INPUT_SHAPE: readonly [28, 28, 1] = [28, 28, 1];

/** Number of classes the seed MNIST model predicts. */
export const MNIST_SEED_CLASSES = 10;

/**
 * The seed experiment's MNIST model, the one graft's tests, benchmarks and demo grow:
 * `conv` Conv2D(32, 3×3, relu, input 28×28×1) → `flatten` → `hidden` Dense(20, relu) → `output` Dense(10, softmax).
 * Kernels are seeded Glorot-uniform (seeds `seed`, `seed + 2`, `seed + 4`; random biases use `seed + 1`, `+ 3`,
 * `+ 5`), so a seed always gives the same weights. The model is returned uncompiled; the caller disposes it.
 */
export function mnistSeed(options: MnistSeedOptions = {}): tf.Sequential {
  const seed = options.seed ?? 42;
  const bias = (offset: number): Initializer =>
    options.biases === 'random' ? tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + offset }) : tf.initializers.zeros();
  const glorot = (offset: number): Initializer => tf.initializers.glorotUniform({ seed: seed + offset });
  return tf.sequential({
    name: 'mnist_seed',
    layers: [
      tf.layers.conv2d({
        name: 'conv',
        inputShape: [...MNIST_SEED_INPUT_SHAPE],
        filters: 32,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: glorot(0),
        biasInitializer: bias(1),
      }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'hidden', units: 20, activation: 'relu', kernelInitializer: glorot(2), biasInitializer: bias(3) }),
      tf.layers.dense({ name: 'output', units: MNIST_SEED_CLASSES, activation: 'softmax', kernelInitializer: glorot(4), biasInitializer: bias(5) }),
    ],
  });
}
