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

/** Reads each group's files (already resolved inside the model folder), checking their lengths against the manifest. */
async function readWeightFiles(groups: readonly ManifestGroup[], groupFiles: readonly string[][]): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const [g, group] of groups.entries()) {
    const files = groupFiles[g] ?? [];
    let size = 0;
    const start = parts.length;
    for (const file of files) {
      let stat;
      try {
        stat = await fs.stat(file);
      } catch (cause) {
        throw new GraftError('WEIGHTS_FILE_MISSING', `Weights file ${file} named in the manifest is missing.`, { cause });
      }
      size += stat.size;
      if (size > group.bytes) break;
      parts.push(await fs.readFile(file));
    }
    if (size !== group.bytes) {
      parts.length = start;
      throw new GraftError('WEIGHTS_SIZE_MISMATCH', `Weights files ${group.paths.join(', ')} hold ${size} bytes; the manifest declares ${group.bytes}. The files are truncated or do not belong to this model.json.`);
    }
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined.buffer;
}

/**
 * Loads a tfjs layers model (`model.json` + weight files) from disk with plain `@tensorflow/tfjs`, validating
 * everything before allocating: JSON structure, weight paths (no `..`, no absolute paths), dtypes, declared sizes
 * and file lengths. Node only (`@graft/core/node`); in a browser use `loadModelFrom` from `@graft/core`.
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
