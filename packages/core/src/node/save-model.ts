import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** Replace a non-empty target folder (atomically). Default false. */
  readonly overwrite?: boolean;
  /**
   * Runs once the files are written to the temporary folder, before they take `dir`'s place; when it throws,
   * nothing is saved and its error reaches the caller as thrown. For a check of the model whose weights may then
   * move: written first, the weights are read where they are, without copies (`graft grow` checks here).
   */
  readonly beforeCommit?: () => Promise<void>;
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) return true;
    return (await fs.readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

/** One weight as tfjs's `model.save` names and encodes it: its variable's original name, shape and dtype. */
interface NamedWeight {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

function namedWeights(model: tf.LayersModel): NamedWeight[] {
  const values = model.getWeights();
  return model.weights.map((variable, i) => ({ name: variable.originalName, tensor: values[i]! }));
}

/** The bytes tfjs's `encodeWeights` writes for a tensor (bools as one byte each), viewing its data where it can. */
async function weightBytes(tensor: tf.Tensor): Promise<Uint8Array> {
  const data = await tensor.data();
  if (tensor.dtype === 'bool') return Uint8Array.from(data as ArrayLike<number>);
  if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new GraftError('WEIGHTS_DTYPE_UNSUPPORTED', `Weight of dtype ${tensor.dtype} cannot be saved; expected float32, int32 or bool.`);
  const typed = data as Float32Array | Int32Array;
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

/**
 * Writes `model.json` and `weights.bin` as tfjs's `model.save` would, but one weight at a time: the weights are
 * never joined into one more buffer of the model's size (twice, through tfjs's encoder and a join).
 */
async function writeModelFiles(model: tf.LayersModel, folder: string): Promise<void> {
  const weights = namedWeights(model);
  const file = await fs.open(path.join(folder, 'weights.bin'), 'w');
  try {
    for (const { tensor } of weights) await file.write(await weightBytes(tensor));
  } finally {
    await file.close();
  }
  const metadata = model.getUserDefinedMetadata();
  const json = {
    modelTopology: model.toJSON(null, false),
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: weights.map(({ name, tensor }) => ({ name, shape: tensor.shape, dtype: tensor.dtype })) }],
    ...(metadata === undefined ? {} : { userDefinedMetadata: metadata }),
  };
  await fs.writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
}

/**
 * Saves `model` as `model.json` + `weights.bin` in `dir`, atomically: everything is written to a temporary folder
 * beside `dir` and renamed into place, so a failure leaves no partial files and an existing target intact. Node only
 * (`@graft/core/node`); in a browser save with any tfjs IO handler: `model.save('indexeddb://name')`.
 *
 * @throws GraftError `OUTPUT_EXISTS` when `dir` is not empty (or is a file) and `overwrite` is not set; `IO_FAILED`;
 * whatever `beforeCommit` throws.
 */
export async function saveModel(model: tf.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  const target = path.resolve(dir);
  const refuseOccupied = async (): Promise<void> => {
    if (options.overwrite !== true && (await isNonEmptyDir(target))) {
      throw new GraftError('OUTPUT_EXISTS', `Output ${target} already exists and is not empty; choose an empty or new folder, or pass overwrite.`);
    }
  };
  await refuseOccupied();
  const temp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const backup = `${target}.old-${process.pid}-${Date.now().toString(36)}`;
  // The check's own errors reach the caller as thrown; file system errors become IO_FAILED.
  let checking = false;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(temp);
    await writeModelFiles(model, temp);
    if (options.beforeCommit !== undefined) {
      checking = true;
      await options.beforeCommit();
      checking = false;
      // The check may take a while: the target must still be free when the files take its place.
      await refuseOccupied();
    }
    const exists = await fs.stat(target).then(() => true, () => false);
    if (exists) await fs.rename(target, backup);
    await fs.rename(temp, target);
    if (exists) await fs.rm(backup, { recursive: true, force: true });
  } catch (cause) {
    await fs.rm(temp, { recursive: true, force: true });
    const restoredBackup = await fs.stat(backup).then(() => true, () => false);
    if (restoredBackup) await fs.rename(backup, target).catch(() => undefined);
    if (cause instanceof GraftError || checking) throw cause;
    throw new GraftError('IO_FAILED', `Could not save the model to ${target}: ${(cause as Error).message}`, { cause });
  }
}
