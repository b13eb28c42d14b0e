import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import type { CheckpointFiles, CheckpointStore } from './checkpoint-store.js';
import type { NamedTensor } from './optimizer.js';
import type { TaskName } from './task.js';
import type { EpochStats } from './types.js';

const FORMAT = 'graft-train-checkpoint';
const VERSION = 2;
const STATE_FILE = 'state.json';
const OPTIMIZER_FILE = 'optimizer.bin';
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** What a checkpoint records besides the model's and the optimizer's weights. */
export interface CheckpointState {
  /** The last finished epoch (1 for the first); the shuffle seeds of later epochs follow from it and `seed`. */
  readonly epoch: number;
  readonly seed: number;
  readonly task: TaskName;
  readonly optimizerClass: string;
  /** The weights the optimizer's state belongs to, in its order (tfjs optimizers match state by position). */
  readonly optimizerVariables: readonly string[];
  readonly history: readonly EpochStats[];
  readonly stoppedEarly: boolean;
}

/** A checkpoint read back: its state, and tensors the caller must dispose. */
export interface LoadedCheckpoint {
  readonly state: CheckpointState;
  readonly location: string;
  readonly modelWeights: tf.NamedTensorMap;
  readonly optimizerWeights: NamedTensor[];
}

interface StateFile extends CheckpointState {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly optimizerWeights: tf.io.WeightsManifestEntry[];
}

const text = new TextEncoder();

/**
 * Writes model (a loadable `model.json` + `weights.bin`), optimizer and state to `store`, which replaces its
 * previous checkpoint atomically.
 *
 * @throws GraftError `IO_FAILED` when the store cannot write.
 */
export async function writeCheckpoint(store: CheckpointStore, model: tf.LayersModel, optimizerWeights: NamedTensor[], state: CheckpointState): Promise<void> {
  const files = new Map<string, Uint8Array>();
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      files.set(WEIGHTS_FILE, joined(artifacts.weightData));
      files.set(MODEL_FILE, text.encode(JSON.stringify(json)));
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  const { data, specs } = await tf.io.encodeWeights(optimizerWeights);
  files.set(OPTIMIZER_FILE, joined(data));
  const file: StateFile = { format: FORMAT, version: VERSION, ...state, optimizerWeights: specs };
  files.set(STATE_FILE, text.encode(JSON.stringify(file, null, 1)));
  await store.write(files);
}

/**
 * Reads the checkpoint in `store`.
 *
 * @returns undefined when there is no checkpoint at all.
 * @throws GraftError `CHECKPOINT_INVALID` naming the file when a checkpoint is there but unreadable, incomplete or
 * inconsistent.
 */
export async function readCheckpoint(store: CheckpointStore): Promise<LoadedCheckpoint | undefined> {
  const stored = await store.read();
  if (stored === undefined) return undefined;
  const { location, files } = stored;
  const name = (file: string): string => `${location}/${file}`;
  const state = parseState(readText(files, name(STATE_FILE)), name(STATE_FILE));
  const modelJson = parseJson(readText(files, name(MODEL_FILE)), name(MODEL_FILE)) as { weightsManifest?: { weights?: unknown }[] };
  const modelSpecs = modelJson.weightsManifest?.[0]?.weights;
  if (!Array.isArray(modelSpecs)) throw invalid(name(MODEL_FILE), 'has no weightsManifest');
  const modelWeights = decode(files, name(WEIGHTS_FILE), modelSpecs as tf.io.WeightsManifestEntry[]);
  let optimizerMap: tf.NamedTensorMap;
  try {
    optimizerMap = decode(files, name(OPTIMIZER_FILE), state.optimizerWeights);
  } catch (error) {
    tf.dispose(modelWeights);
    throw error;
  }
  const optimizerWeights = state.optimizerWeights.map((spec) => ({ name: spec.name, tensor: optimizerMap[spec.name] as tf.Tensor }));
  const { format: _format, version: _version, optimizerWeights: _specs, ...rest } = state;
  return { state: rest, location, modelWeights, optimizerWeights };
}

function decode(files: CheckpointFiles, file: string, specs: tf.io.WeightsManifestEntry[]): tf.NamedTensorMap {
  const bytes = fileBytes(files, file);
  let expected = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw invalid(file, `holds ${spec.name} as ${spec.dtype}; expected float32 or int32`);
    expected += 4 * spec.shape.reduce((a, b) => a * b, 1);
  }
  if (bytes.byteLength !== expected) throw invalid(file, `is ${bytes.byteLength} bytes; its manifest declares ${expected}`);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(buffer, specs);
}

function parseState(content: string, file: string): StateFile {
  const json = parseJson(content, file) as Partial<StateFile>;
  if (json.format !== FORMAT || (json.version !== 1 && json.version !== VERSION)) throw invalid(file, `is not a ${FORMAT} version 1 or ${VERSION}`);
  if ([json.epoch, json.seed].some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 0)) throw invalid(file, 'has no valid epoch or seed');
  if (!Array.isArray(json.history) || json.history.length !== json.epoch) throw invalid(file, `has a history that does not end at epoch ${json.epoch}`);
  if (!Array.isArray(json.optimizerWeights) || typeof json.optimizerClass !== 'string' || !Array.isArray(json.optimizerVariables)) {
    throw invalid(file, 'has no optimizer manifest');
  }
  // Version 1 knew one task, classification; its seed stream state followed from seed and epoch as now.
  const task = json.version === 1 ? 'classification' : json.task;
  if (task !== 'classification' && task !== 'regression' && task !== 'language-model') throw invalid(file, 'has no valid task');
  return { ...(json as StateFile), task };
}

function parseJson(content: string, file: string): unknown {
  try {
    return JSON.parse(content);
  } catch (cause) {
    throw invalid(file, `is not valid JSON (${(cause as Error).message})`, cause);
  }
}

function fileBytes(files: CheckpointFiles, file: string): Uint8Array {
  const bytes = files.get(file.slice(file.lastIndexOf('/') + 1));
  if (bytes === undefined) throw invalid(file, 'cannot be read (it is missing)');
  return bytes;
}

function readText(files: CheckpointFiles, file: string): string {
  return new TextDecoder().decode(fileBytes(files, file));
}

function joined(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  return data === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** The error for a checkpoint file that is there but wrong. */
export function invalid(file: string, what: string, cause?: unknown): GraftError {
  return new GraftError('CHECKPOINT_INVALID', `Checkpoint file ${file} ${what}.`, cause === undefined ? {} : { cause });
}
