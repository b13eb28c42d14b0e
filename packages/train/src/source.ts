import type * as tf from '@tensorflow/tfjs';
import { GraftError, type Batch, type BatchOptions, type BatchSource } from '@graft/core';

/** A `tf.data.Dataset` whose elements are whole batches `{ xs, ys }` (as `model.fitDataset` takes). */
export type BatchDataset = tf.data.Dataset<Batch & tf.TensorContainerObject>;

/** What {@link train} and {@link evaluate} read: a {@link BatchSource}, or a `tf.data.Dataset` of batches. */
export type DataInput = BatchSource | BatchDataset;

/**
 * A data input seen the same way whatever it is: batches as an async iterable, and the number of samples when it
 * is known up front (a `tf.data.Dataset` tells it only once it has been read through).
 */
export interface SourceView {
  readonly size: number | undefined;
  /** Number of batches of `batchSize` in one pass, when known. */
  batchCount(batchSize: number): number | undefined;
  batches(batchSize: number, options: BatchOptions): AsyncIterable<Batch>;
}

/** Whether `data` is a `tf.data.Dataset` (checked by shape, so a second copy of tfjs still counts). */
export function isDataset(data: DataInput): data is BatchDataset {
  const candidate = data as Partial<BatchDataset> & Partial<BatchSource>;
  return typeof candidate.iterator === 'function' && typeof candidate.batches !== 'function';
}

/**
 * Wraps a data input. A `tf.data.Dataset` is read as it is: each element is one batch (its own batching and
 * shuffling apply; `batchSize` and `shuffle` are ignored), and its sample count becomes known after one pass.
 *
 * @throws GraftError `INVALID_ARGUMENT` when `data` is neither a batch source nor a `tf.data.Dataset`.
 */
export function viewOf(data: DataInput, role: string): SourceView {
  if (isDataset(data)) {
    let counted: { samples: number; batches: number } | undefined;
    return {
      get size() {
        return counted?.samples;
      },
      batchCount: () => counted?.batches,
      async *batches() {
        const iterator = await data.iterator();
        let samples = 0;
        let batches = 0;
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
          samples += batchSize(next.value, role);
          batches++;
          yield next.value;
        }
        counted = { samples, batches };
      },
    };
  }
  const source = data as Partial<BatchSource>;
  if (typeof source.batches !== 'function' || typeof source.size !== 'number' || !Number.isInteger(source.size) || source.size < 0) {
    throw new GraftError('INVALID_ARGUMENT', `The ${role} data is not a batch source; expected { size, batches(batchSize, options) } or a tf.data.Dataset of { xs, ys }.`);
  }
  const checked = data;
  return {
    size: checked.size,
    batchCount: (size) => Math.ceil(checked.size / size),
    async *batches(size, options) {
      yield* checked.batches(size, options);
    },
  };
}

/**
 * Number of samples in `batch`: the first dimension of `ys`.
 *
 * @throws GraftError `INVALID_ARGUMENT` when the batch has no `ys` tensor of rank 1 or more.
 */
export function batchSize(batch: Batch, role: string): number {
  const ys = (batch as Partial<Batch>).ys;
  if (ys === undefined || ys === null || !Array.isArray(ys.shape) || ys.shape.length === 0) {
    throw new GraftError('INVALID_ARGUMENT', `A ${role} batch has no ys tensor with a batch dimension; expected { xs, ys } with ys of rank 1 or more.`);
  }
  return ys.shape[0];
}

/**
 * The batch's inputs in the form `model.apply` takes: one tensor, or a list in `model.inputs` order (a name-keyed
 * map is ordered by the input layers' names).
 *
 * @throws GraftError `INVALID_ARGUMENT` when the batch gives the wrong number of inputs or misses a named one.
 */
export function modelInputs(model: tf.LayersModel, xs: Batch['xs']): tf.Tensor | tf.Tensor[] {
  // Input layer names, which `model.inputNames` leaves empty on a Sequential model.
  const names = model.inputs.map((input) => input.sourceLayer.name);
  if (Array.isArray(xs)) {
    if (xs.length !== names.length) {
      throw new GraftError('INVALID_ARGUMENT', `A batch gives ${xs.length} inputs; model "${model.name}" takes ${names.length} (${names.join(', ')}).`);
    }
    return xs.length === 1 ? (xs[0] as tf.Tensor) : xs;
  }
  if (isTensor(xs)) {
    if (names.length !== 1) {
      throw new GraftError('INVALID_ARGUMENT', `A batch gives one input tensor; model "${model.name}" takes ${names.length} (${names.join(', ')}), as an array or a map by name.`);
    }
    return xs;
  }
  const missing = names.filter((name) => !(name in xs));
  if (missing.length > 0) {
    throw new GraftError('INVALID_ARGUMENT', `A batch has no input named ${missing.join(', ')}; model "${model.name}" takes ${names.join(', ')}; the batch gives ${Object.keys(xs).join(', ')}.`);
  }
  const ordered = names.map((name) => xs[name] as tf.Tensor);
  return ordered.length === 1 ? (ordered[0] as tf.Tensor) : ordered;
}

/** Every tensor of a batch, for disposal. */
export function batchTensors(batch: Batch): tf.Tensor[] {
  const { xs } = batch;
  const inputs = Array.isArray(xs) ? xs : isTensor(xs) ? [xs] : Object.values(xs);
  return [...inputs, batch.ys];
}

function isTensor(value: unknown): value is tf.Tensor {
  return typeof value === 'object' && value !== null && 'dataId' in value && 'shape' in value;
}
