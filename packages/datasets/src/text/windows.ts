import * as tf from '@tensorflow/tfjs';
import { GraftError, type Batch, type BatchOptions, type BatchSource } from '@graft/core';
import { randomSeed, shuffledIndices } from '../shuffle.js';

/** What a model reads: one tensor, several in order, or several by input name. */
export type ModelInputs = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/**
 * Makes a model's inputs from a batch of token ids, int32 `[batch, context]`: e.g. `gptInputs` of
 * `@graft/models`, which adds positions and the causal mask. It may return the tokens tensor itself among its
 * outputs; if it does not, the tokens tensor is disposed after the call.
 */
export type TokenInputs = (tokens: tf.Tensor2D) => ModelInputs;

/** One batch of windows; the caller owns `xs` and `ys` and disposes them. */
export interface TextBatch extends Batch {
  /** The model's inputs for the windows' first `context` ids (the bare token tensor without `inputs`). */
  readonly xs: ModelInputs;
  /** The next-character targets: int32 `[size, context]`, window position `t` holds id `t + 1`. */
  readonly ys: tf.Tensor2D;
  readonly size: number;
}

/**
 * Fixed-length windows of a token sequence with next-token targets: a `BatchSource` (of `@graft/core`) for
 * `train` of `@graft/train`. Window `i` reads `context + 1` ids from offset `starts[i]`: the first `context` are the input,
 * the last `context` the targets. By default the windows tile the sequence at stride `context` (every id is a
 * target exactly once, except the first). Tensors are made per batch, so memory stays at the ids.
 */
export class TextWindows implements BatchSource {
  readonly ids: Int32Array;
  readonly context: number;
  /** Number of windows. */
  readonly size: number;
  private readonly starts: Uint32Array;
  private readonly inputs: TokenInputs | undefined;

  /**
   * @param ids - the token sequence (shared, not copied).
   * @param starts - window offsets; default: `0, context, 2·context, …` while a whole window fits.
   * @throws GraftError `INVALID_ARGUMENT` when `context` is not a positive integer or a start does not leave room
   * for a window.
   */
  constructor(ids: Int32Array, context: number, inputs?: TokenInputs, starts?: Uint32Array) {
    if (!Number.isInteger(context) || context < 1) {
      throw new GraftError('INVALID_ARGUMENT', `context must be a positive integer; got ${context}.`);
    }
    const tiled = Math.max(0, Math.floor((ids.length - 1) / context));
    const offsets = starts ?? Uint32Array.from({ length: tiled }, (_, i) => i * context);
    const bad = offsets.findIndex((start) => start + context + 1 > ids.length);
    if (bad >= 0) {
      throw new GraftError('INVALID_ARGUMENT', `window ${bad} at ${offsets[bad]} needs ${context + 1} ids; the sequence has ${ids.length}.`);
    }
    this.ids = ids;
    this.context = context;
    this.starts = offsets;
    this.size = offsets.length;
    this.inputs = inputs;
  }

  /**
   * `count` windows spread evenly over this source (all of them when it has fewer), e.g. a test set that samples
   * every part of a corpus rather than its first pages. Shares the ids.
   */
  spread(count: number): TextWindows {
    if (!Number.isInteger(count) || count < 0) {
      throw new GraftError('INVALID_ARGUMENT', `spread(${count}): expected a non-negative integer.`);
    }
    if (count >= this.size) return this;
    const picked = Uint32Array.from({ length: count }, (_, i) => this.starts[Math.floor((i * this.size) / count)] as number);
    return new TextWindows(this.ids, this.context, this.inputs, picked);
  }

  /** The `context + 1` ids of window `index` (a view, not a copy). */
  window(index: number): Int32Array {
    const start = this.starts[index];
    if (start === undefined) throw new GraftError('INVALID_ARGUMENT', `window(${index}) is outside 0..${this.size - 1}.`);
    return this.ids.subarray(start, start + this.context + 1);
  }

  /**
   * Batches of `batchSize` windows (the last may be smaller), each made when the generator is advanced.
   *
   * @throws GraftError `INVALID_ARGUMENT` when `batchSize` is not a positive integer.
   */
  *batches(batchSize: number, options: BatchOptions = {}): Generator<TextBatch, void, undefined> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new GraftError('INVALID_ARGUMENT', `batchSize must be a positive integer; got ${batchSize}.`);
    }
    const order = options.shuffle === true ? shuffledIndices(this.size, options.seed ?? randomSeed()) : undefined;
    for (let first = 0; first < this.size; first += batchSize) {
      const picked = Array.from({ length: Math.min(batchSize, this.size - first) }, (_, i) => (order === undefined ? first + i : (order[first + i] as number)));
      yield this.batchOf(picked);
    }
  }

  private batchOf(indices: readonly number[]): TextBatch {
    const n = indices.length;
    const context = this.context;
    const inputIds = new Int32Array(n * context);
    const targetIds = new Int32Array(n * context);
    indices.forEach((index, row) => {
      const window = this.window(index);
      inputIds.set(window.subarray(0, context), row * context);
      targetIds.set(window.subarray(1), row * context);
    });
    const tokens = tf.tensor2d(inputIds, [n, context], 'int32');
    const ys = tf.tensor2d(targetIds, [n, context], 'int32');
    if (this.inputs === undefined) return { xs: tokens, ys, size: n };
    let xs: ModelInputs;
    try {
      xs = this.inputs(tokens);
    } catch (error) {
      tf.dispose([tokens, ys]);
      throw error;
    }
    const made = xs instanceof tf.Tensor ? [xs] : Array.isArray(xs) ? xs : Object.values(xs);
    if (!made.includes(tokens)) tokens.dispose();
    return { xs, ys, size: n };
  }
}
