import type * as tf from '@tensorflow/tfjs';
import { DataSplit, type Batch, type BatchOptions } from '@graft/datasets';

/**
 * A split whose batches hold flat `[n, 784]` images instead of `[n, 28, 28, 1]`, for models that take flattened
 * MNIST inputs. `train` reads batches through `batches()` and `toTensors()`, so overriding those two is enough;
 * the bytes are shared with the source split.
 */
export class FlatSplit extends DataSplit {
  constructor(source: DataSplit) {
    super(source.pixels, source.labels, { imageShape: source.imageShape, numClasses: source.numClasses });
  }

  override *batches(batchSize: number, options: BatchOptions = {}): Generator<Batch, void, undefined> {
    for (const batch of super.batches(batchSize, options)) yield flatten(batch);
  }

  override toTensors(start?: number, end?: number): Batch {
    return flatten(super.toTensors(start, end));
  }
}

function flatten(batch: Batch): Batch {
  const xs = batch.xs.reshape([batch.size, -1]);
  batch.xs.dispose();
  // Batch types xs as 4-D; the consumers only hand it to model.predict, which takes the model's own input rank.
  return { ...batch, xs: xs as unknown as tf.Tensor4D };
}
