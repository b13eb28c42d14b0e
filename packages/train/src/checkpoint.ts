import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';
import { saveModel } from '@graft/core/node';
import type { NamedTensor } from './optimizer.js';
import type { EpochStats } from './types.js';

const FORMAT = 'graft-train-checkpoint';
const STATE_FILE = 'state.json';
const OPTIMIZER_FILE = 'optimizer.bin';

/** What a checkpoint records besides the model's and the optimizer's weights. */
export interface CheckpointState {
  /** The last finished epoch (1 for the first). */
  readonly epoch: number;
  readonly seed: number;
  /** State of the seed stream after `epoch`. */
  readonly rngState: number;
  readonly optimizerClass: string;
  /** The weights the optimizer's state belongs to, in its order (tfjs optimizers match state by position). */
  readonly optimizerVariables: readonly string[];
  readonly history: readonly EpochStats[];
  readonly stoppedEarly: boolean;
}

/** A checkpoint read back: its state, and tensors the caller must dispose. */
export interface LoadedCheckpoint {
  readonly state: CheckpointState;
  readonly folder: string;
  readonly modelWeights: tf.NamedTensorMap;
  readonly optimizerWeights: NamedTensor[];
}

interface StateFile extends CheckpointState {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly optimizerWeights: tf.io.WeightsManifestEntry[];
}

/**
 * Writes model, optimizer and state into `dir`, replacing what was there atomically: everything goes to
 * `dir.tmp` first; then `dir` becomes `dir.previous`, `dir.tmp` becomes `dir`, and `dir.previous` is removed.
 * At every instant one of `dir` and `dir.previous` holds a whole checkpoint, and {@link readCheckpoint} looks in both.
 *
 * @throws GraftError `IO_FAILED` when the files cannot be written.
 */
export async function writeCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizerWeights: NamedTensor[],
  state: CheckpointState,
): Promise<void> {
  const target = path.resolve(dir);
  const temp = `${target}.tmp`;
  const previous = `${target}.previous`;
  try {
    await fs.rm(temp, { recursive: true, force: true });
    await saveModel(model, temp);
    const { data, specs } = await tf.io.encodeWeights(optimizerWeights);
    await fs.writeFile(path.join(temp, OPTIMIZER_FILE), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
    const file: StateFile = { format: FORMAT, version: 1, ...state, optimizerWeights: specs };
    await fs.writeFile(path.join(temp, STATE_FILE), JSON.stringify(file, null, 1));
    if (await exists(target)) {
      await fs.rm(previous, { recursive: true, force: true });
      await fs.rename(target, previous);
    }
    await fs.rename(temp, target);
    await fs.rm(previous, { recursive: true, force: true });
  } catch (cause) {
    if (cause instanceof GraftError) throw cause;
    throw new GraftError('IO_FAILED', `Could not write the checkpoint to ${target}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Reads the checkpoint in `dir` (or in `dir.previous`, when a write was interrupted between its two renames).
 *
 * @returns undefined when there is no checkpoint at all.
 * @throws GraftError `CHECKPOINT_INVALID` naming the file when a checkpoint is there but unreadable, incomplete or
 * inconsistent.
 */
export async function readCheckpoint(dir: string): Promise<LoadedCheckpoint | undefined> {
  const target = path.resolve(dir);
  let folder: string | undefined;
  for (const candidate of [target, `${target}.previous`]) {
    if (await exists(path.join(candidate, STATE_FILE))) {
      folder = candidate;
      break;
    }
  }
  if (folder === undefined) {
    const entries = await fs.readdir(target).catch(() => []);
    if (entries.length === 0) return undefined;
    throw invalid(path.join(target, STATE_FILE), 'is missing, but the folder is not empty; expected a checkpoint written by train()');
  }
  const stateFile = path.join(folder, STATE_FILE);
  const state = parseState(await readText(stateFile), stateFile);
  const modelFile = path.join(folder, 'model.json');
  const modelJson = parseJson(await readText(modelFile), modelFile) as { weightsManifest?: { weights?: unknown }[] };
  const modelSpecs = modelJson.weightsManifest?.[0]?.weights;
  if (!Array.isArray(modelSpecs)) throw invalid(modelFile, 'has no weightsManifest');
  const modelWeights = await decode(path.join(folder, 'weights.bin'), modelSpecs as tf.io.WeightsManifestEntry[]);
  const optimizerMap = await decode(path.join(folder, OPTIMIZER_FILE), state.optimizerWeights).catch((error: unknown) => {
    tf.dispose(modelWeights);
    throw error;
  });
  const optimizerWeights = state.optimizerWeights.map((spec) => ({ name: spec.name, tensor: optimizerMap[spec.name] as tf.Tensor }));
  const { format: _format, version: _version, optimizerWeights: _specs, ...rest } = state;
  return { state: rest, folder, modelWeights, optimizerWeights };
}

async function decode(file: string, specs: tf.io.WeightsManifestEntry[]): Promise<tf.NamedTensorMap> {
  const bytes = await fs.readFile(file).catch((cause: unknown) => {
    throw invalid(file, 'cannot be read', cause);
  });
  let expected = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw invalid(file, `holds ${spec.name} as ${spec.dtype}; expected float32 or int32`);
    expected += 4 * spec.shape.reduce((a, b) => a * b, 1);
  }
  if (bytes.byteLength !== expected) throw invalid(file, `is ${bytes.byteLength} bytes; its manifest declares ${expected}`);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.io.decodeWeights(buffer, specs);
}

function parseState(text: string, file: string): StateFile {
  const json = parseJson(text, file) as Partial<StateFile>;
  const numbers = [json.epoch, json.seed, json.rngState];
  if (json.format !== FORMAT || json.version !== 1) throw invalid(file, `is not a ${FORMAT} version 1`);
  if (numbers.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 0)) throw invalid(file, 'has no valid epoch, seed or rngState');
  if (!Array.isArray(json.history) || json.history.length !== json.epoch) throw invalid(file, `has a history that does not end at epoch ${json.epoch}`);
  if (!Array.isArray(json.optimizerWeights) || typeof json.optimizerClass !== 'string' || !Array.isArray(json.optimizerVariables)) {
    throw invalid(file, 'has no optimizer manifest');
  }
  return json as StateFile;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw invalid(file, `is not valid JSON (${(cause as Error).message})`, cause);
  }
}

async function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch((cause: unknown) => {
    throw invalid(file, 'cannot be read', cause);
  });
}

function invalid(file: string, what: string, cause?: unknown): GraftError {
  return new GraftError('CHECKPOINT_INVALID', `Checkpoint file ${file} ${what}.`, cause === undefined ? {} : { cause });
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
