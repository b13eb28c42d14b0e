import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import type { DeclaredWeight, validateManifest } from './validate-manifest.js';

type Groups = ReturnType<typeof validateManifest>;

/** Where one group's bytes are: its files in order, with their lengths. */
interface GroupFiles {
  readonly files: readonly { readonly path: string; readonly length: number }[];
  readonly bytes: number;
}

/**
 * Checks that each group's files exist and hold exactly the bytes the manifest declares, before anything is read.
 * @throws GraftError `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`.
 */
export async function checkWeightFiles(groups: Groups): Promise<GroupFiles[]> {
  const checked: GroupFiles[] = [];
  for (const group of groups) {
    const files: { path: string; length: number }[] = [];
    let size = 0;
    for (const file of group.files) {
      const stat = await fs.stat(file).catch((cause: unknown) => {
        throw new GraftError('WEIGHTS_FILE_MISSING', `Weights file ${file} named in the manifest is missing.`, { cause });
      });
      files.push({ path: file, length: stat.size });
      size += stat.size;
    }
    if (size !== group.bytes) {
      throw new GraftError('WEIGHTS_SIZE_MISMATCH', `Weights files ${group.files.map((f) => path.basename(f)).join(', ')} hold ${size} bytes; the manifest declares ${group.bytes}. The files are truncated or do not belong to this model.json.`);
    }
    checked.push({ files, bytes: group.bytes });
  }
  return checked;
}

/**
 * Reads `length` bytes from `start` of a group (its files concatenated, as tfjs shards them) into `target`.
 * @throws GraftError `IO_FAILED` when a file ends early.
 */
async function readRange(group: GroupFiles, start: number, target: Uint8Array): Promise<void> {
  let fileStart = 0;
  let done = 0;
  for (const file of group.files) {
    const fileEnd = fileStart + file.length;
    const from = start + done;
    if (done < target.length && from < fileEnd) {
      const count = Math.min(fileEnd - from, target.length - done);
      const handle = await fs.open(file.path, 'r');
      try {
        const { bytesRead } = await handle.read(target, done, count, from - fileStart);
        if (bytesRead !== count) throw new GraftError('IO_FAILED', `${file.path} ended early while reading weights.`);
      } finally {
        await handle.close();
      }
      done += count;
    }
    fileStart = fileEnd;
  }
}

/**
 * Reads each declared weight straight from the files into a buffer of its own (no per-file copies joined later, no
 * model-sized buffer that every weight keeps alive), in manifest order.
 * @throws GraftError `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`, `IO_FAILED`.
 */
export async function readWeightBuffers(groups: Groups): Promise<{ weight: DeclaredWeight; bytes: ArrayBuffer }[]> {
  const checked = await checkWeightFiles(groups);
  const buffers: { weight: DeclaredWeight; bytes: ArrayBuffer }[] = [];
  for (const [g, group] of groups.entries()) {
    let offset = 0;
    for (const weight of group.weights) {
      const length = declaredByteLength(weight);
      const bytes = new ArrayBuffer(length);
      await readRange(checked[g]!, offset, new Uint8Array(bytes));
      buffers.push({ weight, bytes });
      offset += length;
    }
  }
  return buffers;
}

const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes a declared weight takes in the file: its element count times the stored (possibly quantised) dtype's size. */
function declaredByteLength(weight: DeclaredWeight): number {
  return size(weight.shape) * (BYTES_PER_VALUE[weight.quantization?.dtype ?? weight.dtype] ?? 4);
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * The tensors of the declared weights, by name. Plain float32 and int32 weights are made from their own buffers (the
 * cpu backend keeps the buffer itself: no copy); quantised and bool weights are decoded by tfjs. The caller disposes
 * them.
 */
export function weightTensors(buffers: readonly { weight: DeclaredWeight; bytes: ArrayBuffer }[]): Map<string, tf.Tensor> {
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
