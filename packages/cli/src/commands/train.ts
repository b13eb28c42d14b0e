import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { activationOf, GraftError, getLayer, toGraph } from '@graft/core';
import { loadModel, saveModel } from '@graft/core/node';
import { loadDataset, type DatasetName, type DataSplit } from '@graft/datasets';
import { describeBackend, useBestBackend, type BackendName } from '@graft/engine';
import { train, type EpochStats, type TrainableSpec } from '@graft/train';
import { FlatSplit } from '../flat-split.js';
import { writeJson, type CliIO } from '../io.js';
import { assertOutputFree } from '../output-dir.js';

/** Options of `graft train`, as parsed by commander. */
export interface TrainCommandOptions {
  readonly data: DatasetName;
  readonly epochs: number;
  readonly out: string;
  readonly train: TrainableSpec;
  readonly unfreezeAfter?: number;
  readonly limit?: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly backend?: BackendName;
  readonly seed?: number;
  readonly json?: boolean;
}

/** What `graft train --json` prints. */
export interface TrainResult {
  /** The tfjs backend the run used: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** One entry per finished epoch (accuracies in percent). */
  readonly epochs: readonly EpochStats[];
  readonly out: string;
}

const TEST_SIZE = 10_000;

/**
 * Checks the model fits the data: one input of `[28, 28, 1]` or `[784]`, one softmax output over 10 classes.
 * @returns whether the input is flat (`[784]`).
 * @throws GraftError `UNSUPPORTED_MODEL` saying what was found and what was expected.
 */
function checkShapes(model: tf.LayersModel, data: string): boolean {
  const found = (tensors: readonly tf.SymbolicTensor[]): string => tensors.map((t) => JSON.stringify(t.shape.slice(1))).join(', ');
  const input = model.inputs.length === 1 ? JSON.stringify(model.inputs[0]?.shape.slice(1)) : '';
  const output = model.outputs[0];
  const graph = toGraph(model);
  const last = output === undefined ? undefined : activationOf(getLayer(graph, output.sourceLayer.name));
  if ((input !== '[28,28,1]' && input !== '[784]') || model.outputs.length !== 1 || JSON.stringify(output?.shape.slice(1)) !== '[10]' || last !== 'softmax') {
    throw new GraftError(
      'UNSUPPORTED_MODEL',
      `The model takes ${found(model.inputs)} and gives ${found(model.outputs)}${last === undefined ? '' : ` (${last})`}; ${data} needs one input of [28,28,1] or [784] and one softmax output of [10].`,
    );
  }
  return input === '[784]';
}

/**
 * `graft train`: trains a model on MNIST or Fashion-MNIST on the fastest available backend and saves it
 * (atomically, with its metadata, so `--train new` still finds graft's layers next time). Progress goes to stderr.
 *
 * @throws GraftError `OUTPUT_EXISTS`, `UNSUPPORTED_MODEL`, `BACKEND_UNAVAILABLE`, `INVALID_ARGUMENT`, model file
 * codes, and whatever loading the data or training throws.
 */
export async function trainCommand(file: string, options: TrainCommandOptions, io: CliIO): Promise<void> {
  await assertOutputFree(options.out);
  // The backend is set before the model loads so its weights live there from the start. The line about it is
  // printed with the first progress output, once train() has accepted every option, so a refusal stays a single
  // line on stderr.
  const backend = await useBestBackend(options.backend);
  let announced = options.json === true;
  const err = (text: string): void => {
    if (!announced) io.err(`${describeBackend(backend)}\n`);
    announced = true;
    io.err(text);
  };
  const model = await loadModel(file);
  const flat = checkShapes(model, options.data);
  const limit = options.limit === undefined ? undefined : { train: options.limit, test: Math.min(options.limit, TEST_SIZE) };
  const dataset = await loadDataset(options.data, limit === undefined ? {} : { limit });
  const adapt = (split: DataSplit): DataSplit => (flat ? new FlatSplit(split) : split);
  const bar = process.stderr.isTTY === true;
  const history = await train(model, { train: adapt(dataset.train), test: adapt(dataset.test) }, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.lr,
    trainable: options.train,
    ...(options.unfreezeAfter === undefined ? {} : { unfreezeAfter: options.unfreezeAfter }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    // Lines mode hands over lines without their newline; bar mode hands over complete redraws.
    progress: bar ? 'bar' : 'lines',
    log: bar ? err : (line) => err(`${line}\n`),
  });
  await saveModel(model, options.out);
  model.dispose();
  const result: TrainResult = { backend: backend.name, epochs: history.epochs, out: path.resolve(options.out) };
  if (options.json === true) return writeJson(io, result);
  const lastEpoch = history.epochs[history.epochs.length - 1];
  const accuracy = lastEpoch?.testAccuracy === undefined ? '' : ` (test accuracy ${lastEpoch.testAccuracy.toFixed(2)}%)`;
  io.out(`Trained ${history.epochs.length} epoch(s) on ${options.data}${accuracy}; saved to ${result.out}.\n`);
}
