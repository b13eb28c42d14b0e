import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '@graft/core';

/**
 * Saves with core's `saveModel`, then loads the files with nothing but plain `tf.loadLayersModel` (no graft code),
 * as a user of the grown model would.
 */
export async function saveAndLoadPlain(model: tf.LayersModel): Promise<tf.LayersModel> {
  const dir = await mkdtemp(path.join(tmpdir(), 'graft-residual-'));
  try {
    await saveModel(model, path.join(dir, 'model'));
    const json = JSON.parse(await readFile(path.join(dir, 'model', 'model.json'), 'utf8')) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, 'model', p))));
    const bytes = Buffer.concat(buffers);
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
