import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '@graft/core';
import { gpt, gptInputs, mnistSeed, MNIST_SEED_CLASSES, MNIST_SEED_INPUT_SHAPE } from '@graft/models';

/** The models `npm run bench` trains, each next to a PyTorch peer in ../shared/peers. */
export const BENCH_MODELS = ['seed', 'seed-conv-gate', 'tiny-gpt'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

/** One batch, uploaded as a data loader would: model inputs and one-hot targets. */
export interface BenchBatch {
  readonly xs: tf.Tensor | tf.Tensor[];
  readonly ys: tf.Tensor;
}

/** A model to time: how to build it, cut its batches and score it, and what its throughput counts. */
export interface Workload {
  readonly model: BenchModel;
  /** What one trained item is: an image (`samples/s`) or a token (`tokens/s`). */
  readonly unit: 'samples/s' | 'tokens/s';
  /** PyTorch peer script (in ../shared/peers), its arguments and the JSON field holding its throughput. */
  readonly peer: { readonly script: string; readonly args: readonly string[]; readonly field: 'samplesPerSecond' | 'tokensPerSecond' };
  readonly defaults: { readonly steps: number; readonly warmupSteps: number; readonly batchSize: number };
  /** Items (samples or tokens) in one batch of `batchSize` rows. */
  readonly itemsPerBatch: (batchSize: number) => number;
  readonly build: () => tf.LayersModel;
  /** The `index`-th batch of `batchSize` rows, cut from a seeded pool. */
  readonly batches: (batchSize: number) => (index: number) => BenchBatch;
  /** Mean loss of `outputs` (probabilities or logits, as the model gives) against one-hot `ys`. */
  readonly loss: (ys: tf.Tensor, outputs: tf.Tensor) => tf.Scalar;
}

function imageBatches(batchSize: number): (index: number) => BenchBatch {
  const random = seededRandom(7);
  const poolSize = Math.max(batchSize, 2048 - (2048 % batchSize));
  const pixels = MNIST_SEED_INPUT_SHAPE.reduce<number>((a, b) => a * b, 1);
  const images = Float32Array.from({ length: poolSize * pixels }, random);
  const labels = Int32Array.from({ length: poolSize }, () => Math.floor(random() * MNIST_SEED_CLASSES));
  const perPool = Math.floor(poolSize / batchSize);
  return (index) => {
    const start = (index % perPool) * batchSize;
    return tf.tidy(() => ({
      xs: tf.tensor4d(images.subarray(start * pixels, (start + batchSize) * pixels), [batchSize, ...MNIST_SEED_INPUT_SHAPE]),
      ys: tf.oneHot(tf.tensor1d(labels.subarray(start, start + batchSize), 'int32'), MNIST_SEED_CLASSES),
    }));
  };
}

const probabilityLoss = (ys: tf.Tensor, outputs: tf.Tensor): tf.Scalar => tf.mean<tf.Scalar>(tf.metrics.categoricalCrossentropy(ys, outputs));

/** The seed model grown by conv-gate's default (relu) gate after its conv: `x ⊙ relu(conv3×3(x))`, kernel 0, bias 1. */
function seedWithConvGate(): tf.LayersModel {
  const seed = mnistSeed({ seed: 1 });
  const [conv, flatten, hidden, head] = seed.layers as [tf.layers.Layer, tf.layers.Layer, tf.layers.Layer, tf.layers.Layer];
  const input = tf.input({ shape: [...MNIST_SEED_INPUT_SHAPE] });
  const features = conv.apply(input) as tf.SymbolicTensor;
  const gate = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'zeros', biasInitializer: 'ones' });
  const gated = tf.layers.multiply().apply([features, gate.apply(features) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const output = head.apply(hidden.apply(flatten.apply(gated))) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/**
 * A workload on MNIST-shaped images: throughput in samples (the peer's `samplesPerSecond`), `steps` batches of 32
 * after 20 warm-up steps, scored on the model's probabilities.
 */
function imageWorkload(model: BenchModel, build: () => tf.LayersModel, peer: { readonly script: string; readonly args: readonly string[] }, steps: number): Workload {
  return {
    model,
    unit: 'samples/s',
    peer: { ...peer, field: 'samplesPerSecond' },
    defaults: { steps, warmupSteps: 20, batchSize: 32 },
    itemsPerBatch: (batchSize) => batchSize,
    build,
    batches: imageBatches,
    loss: probabilityLoss,
  };
}

const GPT = { vocabSize: 96, context: 64, dModel: 64, heads: 4, blocks: 2 } as const;

function tokenBatches(batchSize: number): (index: number) => BenchBatch {
  const random = seededRandom(11);
  const rows = (count: number): number[][] => Array.from({ length: count }, () => Array.from({ length: GPT.context }, () => Math.floor(random() * GPT.vocabSize)));
  const pool = Array.from({ length: 8 }, () => ({ inputs: rows(batchSize), targets: rows(batchSize) }));
  return (index) => {
    const { inputs, targets } = pool[index % pool.length]!;
    return tf.tidy(() => ({ xs: gptInputs(inputs), ys: tf.oneHot(tf.tensor2d(targets, undefined, 'int32'), GPT.vocabSize) }));
  };
}

/** Every workload of the bench, by model name. */
export const WORKLOADS: Readonly<Record<BenchModel, Workload>> = {
  seed: imageWorkload('seed', () => mnistSeed({ seed: 1 }), { script: 'seed_torch.py', args: ['--bench', '--json'] }, 300),
  'seed-conv-gate': imageWorkload('seed-conv-gate', seedWithConvGate, { script: 'gated_torch.py', args: ['--json'] }, 150),
  'tiny-gpt': {
    model: 'tiny-gpt',
    unit: 'tokens/s',
    peer: { script: 'gpt_torch.py', args: ['--json'], field: 'tokensPerSecond' },
    defaults: { steps: 50, warmupSteps: 5, batchSize: 16 },
    itemsPerBatch: (batchSize) => batchSize * GPT.context,
    build: () => gpt({ ...GPT, seed: 1 }),
    batches: tokenBatches,
    // The GPT gives logits; PyTorch's peer uses F.cross_entropy on logits too.
    loss: (ys, logits) => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(ys, logits),
  },
};
