import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import type { DeclaredWeight, validateManifest } from './validate-manifest.js';

type Groups = ReturnType<typeof validateManifest>;

/**
 * Reads every weights file straight into one buffer of the declared total size (no per-file copies joined later),
 * checking each group's files hold exactly the bytes the manifest declares.
 * @throws GraftError `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`.
 */
export async function readWeightFiles(groups: Groups): Promise<ArrayBuffer> {
  const buffer = new ArrayBuffer(groups.reduce((n, g) => n + g.bytes, 0));
  let offset = 0;
  for (const group of groups) {
    let size = 0;
    for (const file of group.files) {
      let handle;
      try {
        handle = await fs.open(file, 'r');
      } catch (cause) {
        throw new GraftError('WEIGHTS_FILE_MISSING', `Weights file ${file} named in the manifest is missing.`, { cause });
      }
      try {
        const length = (await handle.stat()).size;
        size += length;
        if (size > group.bytes) break;
        const { bytesRead } = await handle.read(new Uint8Array(buffer, offset + size - length, length), 0, length, 0);
        if (bytesRead !== length) size -= length - bytesRead;
      } finally {
        await handle.close();
      }
    }
    if (size !== group.bytes) {
      throw new GraftError('WEIGHTS_SIZE_MISMATCH', `Weights files ${group.files.map((f) => path.basename(f)).join(', ')} hold ${size} bytes; the manifest declares ${group.bytes}. The files are truncated or do not belong to this model.json.`);
    }
    offset += group.bytes;
  }
  return buffer;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * The tensors of the declared weights, read from `buffer` in manifest order. Plain float32 and int32 weights are made
 * from views of the buffer (the cpu backend keeps the view itself: no copy); quantised and bool weights are decoded
 * by tfjs. The caller disposes them.
 */
export function weightTensors(weights: readonly DeclaredWeight[], buffer: ArrayBuffer): Map<string, tf.Tensor> {
  const tensors = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const weight of weights) {
    const count = size(weight.shape);
    const plain = weight.quantization === undefined && (weight.dtype === 'float32' || weight.dtype === 'int32');
    if (plain && offset % 4 === 0) {
      const values = weight.dtype === 'float32' ? new Float32Array(buffer, offset, count) : new Int32Array(buffer, offset, count);
      tensors.set(weight.name, tf.tensor(values, [...weight.shape], weight.dtype as 'float32' | 'int32'));
      offset += count * 4;
      continue;
    }
    const spec = weight as unknown as tf.io.WeightsManifestEntry;
    const bytes = count * (weight.quantization === undefined ? (weight.dtype === 'bool' ? 1 : 4) : weight.quantization.dtype === 'uint8' ? 1 : 2);
    const decoded = tf.io.decodeWeights(buffer.slice(offset, offset + bytes), [spec]);
    tensors.set(weight.name, decoded[weight.name]!);
    offset += bytes;
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
