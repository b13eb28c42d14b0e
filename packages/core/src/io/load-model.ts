import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
import { disposeModel } from '../dispose.js';
import { buildModel } from '../graph/build-model.js';
import { readWeightFiles, setWeightsByName, weightTensors } from './read-weights.js';
import { DEFAULT_MAX_WEIGHT_BYTES, validateManifest } from './validate-manifest.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Refuse models declaring more weight bytes than this (default 4 GiB). */
  readonly maxWeightBytes?: number;
}

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
  if (!isRecord(json['modelTopology'])) throw new GraftError('MODEL_TOPOLOGY_INVALID', `${file} has no "modelTopology" object; expected a tfjs layers model (format "layers-model").`);
  if (json['format'] !== undefined && json['format'] !== 'layers-model') {
    throw new GraftError('MODEL_TOPOLOGY_INVALID', `${file} is a "${String(json['format'])}"; graft works on layers models (format "layers-model").`);
  }
  return json;
}

/**
 * Loads a tfjs layers model (`model.json` + weight files) from disk with plain `@tensorflow/tfjs`, validating
 * everything before allocating: JSON structure, weight paths (no `..`, no absolute paths), dtypes, declared sizes
 * and file lengths. The files are read once into one buffer and the weights made from views of it (no initialisers
 * run, no per-file copies, no decoded copy on the cpu backend), so loading a model costs about its weights' bytes.
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
  const groups = validateManifest(json['weightsManifest'], path.dirname(jsonPath), options.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES);
  const weightData = await readWeightFiles(groups);
  let topology = json['modelTopology'] as Record<string, unknown>;
  if (isRecord(topology['model_config'])) topology = topology['model_config'];
  let model: tf.LayersModel;
  try {
    model = buildModel(topology);
  } catch (cause) {
    throw new GraftError('MODEL_TOPOLOGY_INVALID', `tfjs could not build the model in ${jsonPath}: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const tensors = weightTensors(groups.flatMap((g) => g.weights), weightData);
  try {
    setWeightsByName(model, tensors);
  } catch (cause) {
    disposeModel(model);
    throw cause instanceof GraftError ? new GraftError(cause.code, `${jsonPath}: ${cause.message}`, { cause }) : cause;
  } finally {
    tf.dispose([...tensors.values()]);
  }
  if (isRecord(json['trainingConfig'])) model.loadTrainingConfig(json['trainingConfig'] as unknown as Parameters<tf.LayersModel['loadTrainingConfig']>[0]);
  if (isRecord(json['userDefinedMetadata'])) model.setUserDefinedMetadata(json['userDefinedMetadata'] as Record<string, object>);
  return model;
}
