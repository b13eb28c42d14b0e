import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import type { DeclaredWeight } from './validate-manifest.js';

// Pure: runs in a browser as in Node. Reading the weight files themselves is in ../node/read-weight-files.ts.

/** One declared weight and the bytes that hold it (exactly {@link declaredByteLength} of them). */
export interface WeightBuffer {
  readonly weight: DeclaredWeight;
  readonly bytes: ArrayBuffer;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes a declared weight takes in the file: its element count times the stored (possibly quantised) dtype's size. */
export function declaredByteLength(weight: DeclaredWeight): number {
  return size(weight.shape) * (BYTES_PER_VALUE[weight.quantization?.dtype ?? weight.dtype] ?? 4);
}


/**
 * The tensors of the declared weights, by name. Plain float32 and int32 weights are made from their own buffers (the
 * cpu backend keeps the buffer itself: no copy); quantised and bool weights are decoded by tfjs. The caller disposes
 * them.
 */
export function weightTensors(buffers: readonly WeightBuffer[]): Map<string, tf.Tensor> {
  const tensors = new Map<string, tf.Tensor>();
  for (const { weight, bytes } of buffers) {
    if (weight.quantization === undefined && (weight.dtype === 'float32' || weight.dtype === 'int32')) {
      const values = weight.dtype === 'float32' ? new Float32Array(bytes) : new Int32Array(bytes);
      tensors.set(weight.name, tf.tensor(values, [...weight.shape], weight.dtype));
      continue;
    }
    const decoded = tf.io.decodeWeights(bytes, [weight as unknown as tf.io.WeightsManifestEntry]);
    tensors.set(weight.name, decoded[weight.name]!);
  }
  return tensors;
}

/**
 * Sets every weight of `model` from `tensors` by its variable's original name, as tfjs's strict loading does: every
 * variable needs a tensor and every tensor a variable.
 * @throws GraftError `WEIGHTS_MANIFEST_INVALID` naming the first weight that is missing, extra or of the wrong shape.
 */
export function setWeightsByName(model: tf.LayersModel, tensors: ReadonlyMap<string, tf.Tensor>): void {
  const used = new Set<string>();
  for (const layer of model.layers) {
    const values = layer.weights.map((variable) => {
      const tensor = tensors.get(variable.originalName);
      if (tensor === undefined) throw new GraftError('WEIGHTS_MANIFEST_INVALID', `The manifest has no weight "${variable.originalName}" for layer "${layer.name}".`);
      used.add(variable.originalName);
      return tensor;
    });
    if (values.length === 0) continue;
    try {
      layer.setWeights(values);
    } catch (cause) {
      throw new GraftError('WEIGHTS_MANIFEST_INVALID', `The weights of layer "${layer.name}" do not fit it: ${(cause as Error).message.split('\n')[0]}`, { cause });
    }
  }
  const extra = [...tensors.keys()].find((name) => !used.has(name));
  if (extra !== undefined) throw new GraftError('WEIGHTS_MANIFEST_INVALID', `The manifest declares a weight "${extra}" that no layer of the model has.`);
}

/**
 * Cuts in-memory weight data (what a tfjs IO handler returns) into one buffer per declared weight, in order, like
 * `loadModel` reads them from files. The data must hold exactly the declared bytes (`validateArtifacts` checks that).
 */
export function splitWeightData(weights: readonly DeclaredWeight[], data: ArrayBuffer | readonly ArrayBuffer[] | undefined): WeightBuffer[] {
  const joined = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.CompositeArrayBuffer.join((data as readonly ArrayBuffer[]).slice()) : (data as ArrayBuffer);
  let offset = 0;
  return weights.map((weight) => {
    const length = declaredByteLength(weight);
    const bytes = joined.slice(offset, offset + length);
    offset += length;
    return { weight, bytes };
  });
}
