import { GraftError, type Batch, type BatchOptions, type BatchSource } from '@graft/core';
import { randomSeed, shuffledIndices } from './shuffle.js';

/** How an {@link IndexedSource} makes the batch of some of its samples (by their index in the whole set). */
export type BatchLoader = (indices: Uint32Array) => Batch | Promise<Batch>;

/** Options of the {@link IndexedSource} constructor. */
export interface IndexedSourceOptions {
  /** Class of every sample of the whole set (for stratified splits), when the labels are classes. */
  readonly labels?: Int32Array;
  /** Class names, in class-index order. */
  readonly classes?: readonly string[];
  /** Whether `load` returns promises (then `batches` is an async iterable). */
  readonly async?: boolean;
  /** Shape of one sample's input (`[features]`, `[height, width, channels]`), when it has one input. */
  readonly sampleShape?: readonly number[];
  /** What the reader changes in the data as it reads it (resized images), said once; undefined when nothing. */
  readonly note?: string;
}

/**
 * A batch source over samples that can be fetched by index: CSV rows, image files, rows of tensors. It holds a
 * list of sample indices, so {@link subset} (a validation split, a limit) shares the data instead of copying it.
 */
export class IndexedSource implements BatchSource {
  /** Class names, in class-index order, when the labels are classes. */
  readonly classes: readonly string[] | undefined;
  /** Class of every sample of the whole set, when the labels are classes. */
  readonly labels: Int32Array | undefined;
  /** The samples of this source, as indices into the whole set. */
  readonly indices: Uint32Array;
  /** Shape of one sample's input, when it has one input. */
  readonly sampleShape: readonly number[] | undefined;
  /** What the reader changes in the data as it reads it (resized or converted images), or undefined. */
  readonly note: string | undefined;
  private readonly load: BatchLoader;
  private readonly isAsync: boolean;

  constructor(count: number, load: BatchLoader, options: IndexedSourceOptions = {}, indices?: Uint32Array) {
    this.load = load;
    this.labels = options.labels;
    this.classes = options.classes;
    this.isAsync = options.async === true;
    this.sampleShape = options.sampleShape;
    this.note = options.note;
    this.indices = indices ?? Uint32Array.from({ length: count }, (_, i) => i);
  }

  get size(): number {
    return this.indices.length;
  }

  /** The same data restricted to `positions` (positions in this source, not in the whole set). */
  subset(positions: ArrayLike<number>): IndexedSource {
    const indices = Uint32Array.from(positions, (p) => this.indices[p] as number);
    return new IndexedSource(0, this.load, { ...this.options(), async: this.isAsync }, indices);
  }

  /** The first `n` samples (all when there are fewer). */
  take(n: number): IndexedSource {
    return this.subset(Array.from({ length: Math.min(n, this.size) }, (_, i) => i));
  }

  /** Class of each sample of this source, in order, when the labels are classes. */
  sampleLabels(): Int32Array | undefined {
    const labels = this.labels;
    return labels === undefined ? undefined : Int32Array.from(this.indices, (i) => labels[i] as number);
  }

  /**
   * Batches of `batchSize` samples (the last may be smaller), made one at a time as they are asked for; the caller
   * disposes each batch's tensors.
   *
   * @throws GraftError `INVALID_ARGUMENT` when `batchSize` is not a positive integer.
   */
  batches(batchSize: number, options: BatchOptions = {}): Iterable<Batch> | AsyncIterable<Batch> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new GraftError('INVALID_ARGUMENT', `batchSize must be a positive integer; got ${batchSize}.`);
    }
    const order = options.shuffle === true ? shuffledIndices(this.size, options.seed ?? randomSeed()) : undefined;
    const ids = (start: number): Uint32Array => {
      const end = Math.min(start + batchSize, this.size);
      return Uint32Array.from({ length: end - start }, (_, i) => this.indices[order === undefined ? start + i : (order[start + i] as number)] as number);
    };
    const { load, size } = this;
    if (this.isAsync) {
      return (async function* () {
        for (let start = 0; start < size; start += batchSize) yield await load(ids(start));
      })();
    }
    return (function* () {
      for (let start = 0; start < size; start += batchSize) yield load(ids(start)) as Batch;
    })();
  }

  private options(): IndexedSourceOptions {
    return {
      ...(this.labels === undefined ? {} : { labels: this.labels }),
      ...(this.classes === undefined ? {} : { classes: this.classes }),
      ...(this.sampleShape === undefined ? {} : { sampleShape: this.sampleShape }),
      ...(this.note === undefined ? {} : { note: this.note }),
    };
  }
}
