import type * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';

// Layers with weights but no matrix product: a lookup and per-element scale and shift, left out of the count like
// every per-element operation (activations, softmax, adds, the mask), whose cost is small beside the products.
const WEIGHTED_WITHOUT_PRODUCT = new Set(['Embedding', 'LayerNormalization']);

/**
 * Multiply-adds of one sample's forward pass through `model`, counting the matrix products only: a `Dense` layer
 * does `in × units` per position (every axis between the batch and the last), a `Dot` layer does, per output
 * element, one multiply-add per element of the axis it contracts. Per-element work is not counted.
 *
 * @throws GraftError `UNSUPPORTED_MODEL` naming a layer with weights that has no rule here (its cost would be
 * missed), or a layer whose shapes are not fully known.
 */
export function multiplyAddsPerSample(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const name = `${layer.name} (${layer.getClassName()})`;
    const known = (shape: readonly (number | null)[]): number[] => {
      const dims = shape.slice(1);
      if (dims.some((d) => d === null)) throw new GraftError('UNSUPPORTED_MODEL', `FLOPs: layer ${name} has an unknown shape [${shape.join(', ')}]; expected fixed sizes.`);
      return dims as number[];
    };
    const className = layer.getClassName();
    if (className === 'Dense') {
      const input = known((layer.input as tf.SymbolicTensor).shape);
      const units = (layer.getConfig() as { units: number }).units;
      total += product(input) * units;
    } else if (className === 'Dot') {
      const inputs = layer.input as tf.SymbolicTensor[];
      const axes = (layer.getConfig() as { axes: number | [number, number] }).axes;
      const axis = Array.isArray(axes) ? axes[0] : axes;
      const first = known((inputs[0] as tf.SymbolicTensor).shape);
      const contracted = first[axis - 1] as number;
      total += product(known((layer.output as tf.SymbolicTensor).shape)) * contracted;
    } else if (layer.countParams() > 0 && !WEIGHTED_WITHOUT_PRODUCT.has(className)) {
      throw new GraftError('UNSUPPORTED_MODEL', `FLOPs: no rule for layer ${name}; expected Dense, Dot, Embedding or LayerNormalization among weighted layers.`);
    }
  }
  return total;
}

/**
 * Floating-point operations of one training step on `batchSize` samples: the forward pass is 2 FLOPs per
 * multiply-add, and the backward pass twice the forward (a gradient for the inputs and one for the weights), so
 * `3 × 2 × multiply-adds × batchSize`, the usual `6 · parameters · tokens` estimate of transformer training.
 */
export function trainingFlopsPerStep(model: tf.LayersModel, batchSize: number): number {
  return 6 * multiplyAddsPerSample(model) * batchSize;
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}
