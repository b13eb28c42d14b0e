import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../errors.js';
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
    throw new GraftError('MODEL_TOPOLOGY_INVALID', `${file} is a ${JSON.stringify(json['format'])}; graft works on layers models (format "layers-model").`);
  }
  return json;
}

async function readWeightFiles(groups: ReturnType<typeof validateManifest>): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const group of groups) {
    let size = 0;
    const start = parts.length;
    for (const file of group.files) {
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
      throw new GraftError('WEIGHTS_SIZE_MISMATCH', `Weights files ${group.files.map((f) => path.basename(f)).join(', ')} hold ${size} bytes; the manifest declares ${group.bytes}. The files are truncated or do not belong to this model.json.`);
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
 * and file lengths.
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
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json['modelTopology'] as tf.io.ModelArtifacts['modelTopology'] & object,
    weightSpecs: groups.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
    weightData,
    format: 'layers-model',
    ...(isRecord(json['userDefinedMetadata']) ? { userDefinedMetadata: json['userDefinedMetadata'] as Record<string, object> } : {}),
    ...(isRecord(json['trainingConfig']) ? { trainingConfig: json['trainingConfig'] as unknown as tf.io.TrainingConfig } : {}),
  };
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (cause) {
    const message = (cause as Error).message.split('\n')[0];
    const code = /weight/i.test(message ?? '') ? 'WEIGHTS_MANIFEST_INVALID' : 'MODEL_TOPOLOGY_INVALID';
    throw new GraftError(code, `tfjs could not build the model in ${jsonPath}: ${message}`, { cause });
  }
}
