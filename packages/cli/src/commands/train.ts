import path from 'node:path';
import { withClassNames } from '@graft/core';
import { loadModel, saveModel } from '@graft/core/node';
import { describeBackend, useBestBackend, type BackendName } from '@graft/engine';
import { chooseWorkers, train, type EpochStats, type TrainableSpec, type WorkersSpec } from '@graft/train';
import { openData } from '../data/sources.js';
import { writeJson, type CliIO } from '../io.js';
import { assertOutputFree } from '../output-dir.js';

/** Options of `graft train`, as parsed by commander. */
export interface TrainCommandOptions {
  readonly data: string;
  readonly label?: string;
  readonly validationSplit?: number;
  readonly context?: number;
  readonly epochs: number;
  readonly out: string;
  readonly train: TrainableSpec;
  readonly unfreezeAfter?: number;
  readonly limit?: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly backend?: BackendName;
  readonly seed?: number;
  readonly workers: WorkersSpec;
  readonly json?: boolean;
}

/** What `graft train --json` prints. */
export interface TrainResult {
  /** The tfjs backend the run used: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** Training threads the run used (1: the main thread). */
  readonly workers: number;
  /** One entry per finished epoch: `testLoss` and `testAccuracy` (percent) or `testMae`, and the train ones. */
  readonly epochs: readonly EpochStats[];
  readonly out: string;
}

/**
 * `graft train`: trains a model on `--data` (MNIST, Fashion-MNIST, a CSV/TSV table, an image folder, …) on the
 * fastest available backend and saves it atomically, its metadata kept and the data's class names added (so
 * `--train new` still finds graft's layers next time). Progress goes to stderr. Everything about the data and the
 * model is checked before the first step; a refusal writes nothing.
 *
 * @throws GraftError `OUTPUT_EXISTS`, `UNSUPPORTED_MODEL`, `DATA_INVALID`, `DATA_NOT_FOUND`, `BACKEND_UNAVAILABLE`,
 * `INVALID_ARGUMENT`, model file codes, and whatever training throws.
 */
export async function trainCommand(file: string, options: TrainCommandOptions, io: CliIO): Promise<void> {
  await assertOutputFree(options.out);
  // The backend is set before the model loads so its weights live there from the start. The line about it is
  // printed with the first progress output, once train() has accepted every option, so a refusal stays a single
  // line on stderr.
  const backend = await useBestBackend(options.backend);
  const model = await loadModel(file);
  // The same rule train() applies, so the line says what the run does.
  const workers = chooseWorkers(model, { workers: options.workers, batchSize: options.batchSize });
  let announced = options.json === true;
  const err = (text: string): void => {
    if (!announced) io.err(`${describeBackend(backend)}; ${workers.why}\n`);
    announced = true;
    io.err(text);
  };
  const data = await openData({
    source: options.data,
    model,
    label: options.label,
    validationSplit: options.validationSplit,
    context: options.context,
    seed: options.seed ?? 0,
    limit: options.limit,
    purpose: 'train',
  });
  const bar = process.stderr.isTTY === true;
  let noted = false;
  const history = await train(model, { train: data.train, ...(data.test === undefined ? {} : { test: data.test }) }, {
    task: data.task,
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.lr,
    trainable: options.train,
    ...(options.unfreezeAfter === undefined ? {} : { unfreezeAfter: options.unfreezeAfter }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    workers: options.workers,
    // Lines mode hands over lines without their newline; bar mode hands over complete redraws. The data's note
    // comes first, with the first progress output, so a refusal before training stays one line.
    progress: bar ? 'bar' : 'lines',
    log: (text) => {
      if (!noted && data.note !== undefined) err(`${data.note}\n`);
      noted = true;
      err(bar ? text : `${text}\n`);
    },
  });
  if (data.classes !== undefined) model.setUserDefinedMetadata(withClassNames(model.getUserDefinedMetadata(), data.classes));
  await saveModel(model, options.out);
  model.dispose();
  const result: TrainResult = { backend: backend.name, workers: history.workers, epochs: history.epochs, out: path.resolve(options.out) };
  if (options.json === true) return writeJson(io, result);
  const last = history.epochs[history.epochs.length - 1];
  const metric =
    last?.testAccuracy !== undefined
      ? ` (test accuracy ${last.testAccuracy.toFixed(2)}%)`
      : last?.testMae !== undefined
        ? ` (test MAE ${last.testMae.toPrecision(4)})`
        : last?.testPerplexity !== undefined
          ? ` (test perplexity ${last.testPerplexity.toPrecision(4)})`
          : '';
  io.out(`Trained ${history.epochs.length} epoch(s) on ${data.name}${metric}; saved to ${result.out}.\n`);
}
