import * as tf from '@tensorflow/tfjs';
import { GraftError, type Batch, type BatchOptions, type BatchSource } from '@graft/core';
import { randomSeed, shuffledIndices } from './shuffle.js';

/** One batch of images: the caller owns `xs` and `ys` and must dispose them (or create them inside `tf.tidy`). */
export interface ImageBatch extends Batch {
  /** Images as float32 in [0, 1], shape `[n, height, width, channels]`. */
  readonly xs: tf.Tensor4D;
  /** One-hot labels as float32, shape `[n, numClasses]`. */
  readonly ys: tf.Tensor2D;
  /** The same labels as integers, for counting correct predictions without a tensor. */
  readonly labels: Int32Array;
  /** Number of samples in this batch (the last batch of an epoch may be smaller). */
  readonly size: number;
}

/** Options of the {@link DataSplit} constructor. */
export interface DataSplitOptions {
  /** Shape of one image. Default `[28, 28, 1]`. */
  readonly imageShape?: readonly [number, number, number];
  /** Number of classes; labels must be below it. Default `10`. */
  readonly numClasses?: number;
}

/**
 * A set of labelled images kept as ONE compact copy: raw bytes (0..255) and byte labels. Tensors are made only
 * per batch, scaled to float32 [0, 1] as they are made, so memory stays near the size of the bytes.
 * `slice` and `take` share the bytes of the split they come from. A {@link BatchSource}, so `train` reads it.
 */
export class DataSplit implements BatchSource {
  /** Pixels of every image, row-major, one byte each (0..255). */
  readonly pixels: Uint8Array;
  /** Class of every image, `0..numClasses-1`. */
  readonly labels: Uint8Array;
  readonly imageShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Number of images. */
  readonly size: number;
  private readonly imageSize: number;

  /**
   * @throws GraftError `INVALID_ARGUMENT` when `pixels` does not hold exactly one image per label, or a label is
   * not below `numClasses`.
   */
  constructor(pixels: Uint8Array, labels: Uint8Array, options: DataSplitOptions = {}) {
    this.imageShape = options.imageShape ?? [28, 28, 1];
    this.numClasses = options.numClasses ?? 10;
    this.imageSize = this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
    if (pixels.length !== labels.length * this.imageSize) {
      throw new GraftError(
        'INVALID_ARGUMENT',
        `DataSplit got ${pixels.length} pixels for ${labels.length} labels; expected ${labels.length * this.imageSize}.`,
      );
    }
    const bad = labels.findIndex((label) => label >= this.numClasses);
    if (bad >= 0) {
      throw new GraftError('INVALID_ARGUMENT', `DataSplit label ${labels[bad]} at ${bad} is not below ${this.numClasses}.`);
    }
    this.pixels = pixels;
    this.labels = labels;
    this.size = labels.length;
  }

  /**
   * Images `start..end-1` as a new split sharing this one's bytes (no copy). Bounds are clamped like
   * `Array.prototype.slice`, negative ones excepted.
   *
   * @throws GraftError `INVALID_ARGUMENT` when `start` or `end` is negative or not an integer.
   */
  slice(start: number, end: number = this.size): DataSplit {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < 0) {
      throw new GraftError('INVALID_ARGUMENT', `slice(${start}, ${end}): bounds must be non-negative integers.`);
    }
    const from = Math.min(start, this.size);
    const to = Math.max(from, Math.min(end, this.size));
    return new DataSplit(this.pixels.subarray(from * this.imageSize, to * this.imageSize), this.labels.subarray(from, to), {
      imageShape: this.imageShape,
      numClasses: this.numClasses,
    });
  }

  /** The first `n` images (all of them if there are fewer), sharing this split's bytes. */
  take(n: number): DataSplit {
    return this.slice(0, n);
  }

  /**
   * Batches of `batchSize` images (the last may be smaller), made one at a time as the generator is advanced.
   * The caller disposes each batch's tensors.
   *
   * @throws GraftError `INVALID_ARGUMENT` when `batchSize` is not a positive integer.
   */
  *batches(batchSize: number, options: BatchOptions = {}): Generator<ImageBatch, void, undefined> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new GraftError('INVALID_ARGUMENT', `batchSize must be a positive integer; got ${batchSize}.`);
    }
    const order = options.shuffle === true ? shuffledIndices(this.size, options.seed ?? randomSeed()) : undefined;
    for (let start = 0; start < this.size; start += batchSize) {
      const end = Math.min(start + batchSize, this.size);
      yield order === undefined ? this.batchOf(start, end) : this.batchOf(start, end, order);
    }
  }

  /**
   * Images `start..end-1` as one batch, e.g. for evaluation. The caller disposes the tensors.
   *
   * @throws GraftError `INVALID_ARGUMENT` when the range is outside the split.
   */
  toTensors(start = 0, end: number = this.size): ImageBatch {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.size || start > end) {
      throw new GraftError('INVALID_ARGUMENT', `toTensors(${start}, ${end}) is outside 0..${this.size}.`);
    }
    return this.batchOf(start, end);
  }

  /** Builds a batch from positions `start..end-1` of `order` (or of the stored order). */
  private batchOf(start: number, end: number, order?: Uint32Array): ImageBatch {
    const n = end - start;
    const size = this.imageSize;
    const images = new Float32Array(n * size);
    const oneHot = new Float32Array(n * this.numClasses);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const index = order === undefined ? start + i : (order[start + i] as number);
      const from = index * size;
      for (let p = 0; p < size; p++) images[i * size + p] = (this.pixels[from + p] as number) / 255;
      const label = this.labels[index] as number;
      labels[i] = label;
      oneHot[i * this.numClasses + label] = 1;
    }
    const [height, width, channels] = this.imageShape;
    return {
      xs: tf.tensor4d(images, [n, height, width, channels], 'float32'),
      ys: tf.tensor2d(oneHot, [n, this.numClasses], 'float32'),
      labels,
      size: n,
    };
  }
}
