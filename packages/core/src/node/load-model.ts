import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import { buildModelFrom, checkLayersTopology, type LoadModelOptions } from '../io/artifacts.js';
import { DEFAULT_MAX_WEIGHT_BYTES, validateManifest } from '../io/validate-manifest.js';
import { readWeightBuffers } from './read-weight-files.js';
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
 * Loads a tfjs layers model (`model.json` + weight files) from disk with plain `@tensorflow/tfjs`, validating
 * everything before allocating: JSON structure, weight paths (no `..`, no absolute paths), dtypes, declared sizes
 * and file lengths. Each weight is read from the files straight into a buffer of its own and made into a tensor from
 * it (no initialisers run, no per-file copies, no decoded copy on the cpu backend), so loading costs about the weights'
 * bytes.
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
  const weights = await readWeightBuffers(groups, files);
  const parts = {
    modelTopology: json['modelTopology'] as object,
    weights,
    ...(isRecord(json['userDefinedMetadata']) ? { userDefinedMetadata: json['userDefinedMetadata'] as Record<string, object> } : {}),
    ...(isRecord(json['trainingConfig']) ? { trainingConfig: json['trainingConfig'] as unknown as tf.io.TrainingConfig } : {}),
  };
  return buildModelFrom(parts, jsonPath);
}
