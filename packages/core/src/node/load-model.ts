import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import { buildFromArtifacts, checkLayersTopology, type LoadModelOptions } from '../io/artifacts.js';
import { DEFAULT_MAX_WEIGHT_BYTES, type ManifestGroup, validateManifest } from '../io/validate-manifest.js';
import { resolveWeightsPath } from './weights-path.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readModelJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    throw new GraftError('MODEL_NOT_FOUND', `Cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}; expected a tfjs model.json.`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new GraftError('MODEL_JSON_INVALID', `${file} is not valid JSON (${(cause as Error).message}); expected a tfjs model.json.`, { cause });
  }
  if (!isRecord(json)) throw new GraftError('MODEL_JSON_INVALID', `${file} holds ${Array.isArray(json) ? 'an array' : typeof json}; expected a model.json object.`);
  checkLayersTopology(json['modelTopology'], json['format'], file);
  return json;
}

/**
 * Reads every weights file (already resolved inside the model folder, `groupFiles[g]` for group `g`) straight into
 * one buffer of the declared total size (no per-file copies joined later), checking each group's files hold exactly
 * the bytes the manifest declares.
 * @throws GraftError `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`.
 */
async function readWeightFiles(groups: readonly ManifestGroup[], groupFiles: readonly (readonly string[])[]): Promise<ArrayBuffer> {
  const buffer = new ArrayBuffer(groups.reduce((n, g) => n + g.bytes, 0));
  let offset = 0;
  for (const [g, group] of groups.entries()) {
    let size = 0;
    for (const file of groupFiles[g] ?? []) {
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
      throw new GraftError('WEIGHTS_SIZE_MISMATCH', `Weights files ${group.paths.join(', ')} hold ${size} bytes; the manifest declares ${group.bytes}. The files are truncated or do not belong to this model.json.`);
    }
    offset += group.bytes;
  }
  return buffer;
}

/**
 * Loads a tfjs layers model (`model.json` + weight files) from disk with plain `@tensorflow/tfjs`, validating
 * everything before allocating: JSON structure, weight paths (no `..`, no absolute paths), dtypes, declared sizes
 * and file lengths. The files are read once into one buffer and the weights made from views of it (no initialisers
 * run, no per-file copies, no decoded copy on the cpu backend), so loading a model costs about its weights' bytes.
 * Node only (`@graft/core/node`); in a browser use `loadModelFrom` from `@graft/core`, which builds the same way.
 *
 * @param file path to `model.json`, or to the folder holding it.
 * @throws GraftError `MODEL_NOT_FOUND`, `MODEL_JSON_INVALID`, `MODEL_TOPOLOGY_INVALID`, `WEIGHTS_MANIFEST_INVALID`,
 * `WEIGHTS_PATH_ESCAPES`, `WEIGHTS_FILE_MISSING`, `WEIGHTS_SIZE_MISMATCH`, `WEIGHTS_TOO_LARGE`, `WEIGHTS_DTYPE_UNSUPPORTED`.
 */
export async function loadModel(file: string, options: LoadModelOptions = {}): Promise<tf.LayersModel> {
  let jsonPath = path.resolve(file);
  const stat = await fs.stat(jsonPath).catch(() => undefined);
  if (stat?.isDirectory()) jsonPath = path.join(jsonPath, 'model.json');
  const json = await readModelJson(jsonPath);
  const modelDir = path.dirname(jsonPath);
  const groups = validateManifest(json['weightsManifest'], options.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES);
  const files = groups.map((group) => group.paths.map((p) => resolveWeightsPath(modelDir, p)));
  const weightData = await readWeightFiles(groups, files);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json['modelTopology'] as tf.io.ModelArtifacts['modelTopology'] & object,
    weightSpecs: groups.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
    weightData,
    format: 'layers-model',
    ...(isRecord(json['userDefinedMetadata']) ? { userDefinedMetadata: json['userDefinedMetadata'] as Record<string, object> } : {}),
    ...(isRecord(json['trainingConfig']) ? { trainingConfig: json['trainingConfig'] as unknown as tf.io.TrainingConfig } : {}),
  };
  return buildFromArtifacts(artifacts, jsonPath);
}
