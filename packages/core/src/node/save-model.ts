import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import { modelArtifacts } from '../io/artifacts.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** Replace a non-empty target folder (atomically). Default false. */
  readonly overwrite?: boolean;
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

function joinWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * Saves `model` as `model.json` + `weights.bin` in `dir`, atomically: everything is written to a temporary folder
 * beside `dir` and renamed into place, so a failure leaves no partial files and an existing target intact. Node only
 * (`@graft/core/node`); in a browser save with any tfjs IO handler: `model.save('indexeddb://name')`.
 *
 * @throws GraftError `OUTPUT_EXISTS` when `dir` is not empty (or is a file) and `overwrite` is not set; `IO_FAILED`.
 */
export async function saveModel(model: tf.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  const target = path.resolve(dir);
  const occupied = await isNonEmptyDir(target);
  if (occupied && options.overwrite !== true) {
    throw new GraftError('OUTPUT_EXISTS', `Output ${target} already exists and is not empty; choose an empty or new folder, or pass overwrite.`);
  }
  const temp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const backup = `${target}.old-${process.pid}-${Date.now().toString(36)}`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(temp);
    const artifacts = await modelArtifacts(model);
    const json = {
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
      ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
    };
    await fs.writeFile(path.join(temp, 'weights.bin'), joinWeightData(artifacts.weightData));
    await fs.writeFile(path.join(temp, 'model.json'), JSON.stringify(json));
    const exists = await fs.stat(target).then(() => true, () => false);
    if (exists) await fs.rename(target, backup);
    await fs.rename(temp, target);
    if (exists) await fs.rm(backup, { recursive: true, force: true });
  } catch (cause) {
    await fs.rm(temp, { recursive: true, force: true });
    const restoredBackup = await fs.stat(backup).then(() => true, () => false);
    if (restoredBackup) await fs.rename(backup, target).catch(() => undefined);
    if (cause instanceof GraftError) throw cause;
    throw new GraftError('IO_FAILED', `Could not save the model to ${target}: ${(cause as Error).message}`, { cause });
  }
}
