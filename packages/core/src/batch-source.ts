import type * as tf from '@tensorflow/tfjs';

/**
 * One batch of training or evaluation data. The consumer owns the tensors and disposes them.
 *
 * - `xs`: the model's input; one tensor for a single-input model, or, for a model with several inputs (a GPT's
 *   token ids, positions and mask), an array in `model.inputs` order or a map keyed by input name.
 * - `ys`: the targets, any rank and dtype: one-hot rows or class indices (one per sample, or one per token as
 *   `[batch, time]`), or float targets for regression. The batch's size is `ys.shape[0]`.
 */
export interface Batch {
  readonly xs: tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;
  readonly ys: tf.Tensor;
}

/** Options of {@link BatchSource.batches}. */
export interface BatchOptions {
  /** Visit samples in a seeded random order instead of stored order. Default `false`. */
  readonly shuffle?: boolean;
  /** Seed of the shuffle: the same seed gives the same order. Default: a random seed. */
  readonly seed?: number;
}

/**
 * Where training and evaluation read data from: anything that knows its number of samples and hands out batches
 * (made lazily, one at a time, so a source may be larger than memory). `@graft/datasets` implements it for MNIST,
 * CSV/TSV tables, image folders and in-memory tensors; users can implement it for anything else.
 */
export interface BatchSource {
  /** Number of samples, all batches together. */
  readonly size: number;
  /** Batches of `batchSize` samples (the last may be smaller), in stored or seeded shuffled order. */
  batches(batchSize: number, options?: BatchOptions): Iterable<Batch> | AsyncIterable<Batch>;
}
