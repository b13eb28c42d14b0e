import { classNames } from '@graft/core';
import { loadModel } from '@graft/core/node';
import { useBestBackend, type BackendName } from '@graft/engine';
import { evaluate } from '@graft/train';
import { openData } from '../data/sources.js';
import { table, writeJson, type CliIO } from '../io.js';

/** Options of `graft evaluate`, as parsed by commander. */
export interface EvaluateCommandOptions {
  readonly data: string;
  readonly label?: string;
  readonly limit?: number;
  readonly batchSize: number;
  readonly backend?: BackendName;
  readonly json?: boolean;
}

/** What `graft evaluate --json` prints: the loss and the task's metrics on all the data given. */
export interface EvaluateResult {
  readonly loss: number;
  /** Classification: percent correct, 0–100. */
  readonly accuracy?: number;
  /** Regression: mean absolute error. */
  readonly mae?: number;
  /** Classification: `confusion[label][predicted]` counts. */
  readonly confusion?: number[][];
  /** Classification: the class names of the confusion matrix's rows and columns. */
  readonly classes?: readonly string[];
}

/**
 * `graft evaluate`: the loss and the task's metrics of a model on all of `--data` (for MNIST, its test split),
 * with a confusion matrix for classification. The model is never modified; nothing is written.
 *
 * @throws GraftError as `graft train` does for data and models that do not fit.
 */
export async function evaluateCommand(file: string, options: EvaluateCommandOptions, io: CliIO): Promise<void> {
  await useBestBackend(options.backend);
  const model = await loadModel(file);
  const data = await openData({ source: options.data, model, label: options.label, validationSplit: undefined, seed: 0, limit: options.limit, purpose: 'evaluate' });
  const classification = data.task === 'classification';
  const measured = await evaluate(model, data.train, { batchSize: options.batchSize, task: data.task, confusion: classification });
  const classes = data.classes ?? classNames(model);
  model.dispose();
  const result: EvaluateResult = {
    loss: measured.loss,
    ...(measured.accuracy === undefined ? {} : { accuracy: measured.accuracy }),
    ...(measured.mae === undefined ? {} : { mae: measured.mae }),
    ...(measured.confusion === undefined ? {} : { confusion: measured.confusion }),
    ...(classification && classes !== undefined ? { classes } : {}),
  };
  if (options.json === true) return writeJson(io, result);
  const metric = result.accuracy !== undefined ? `, accuracy ${result.accuracy.toFixed(2)}%` : result.mae !== undefined ? `, MAE ${result.mae.toPrecision(4)}` : '';
  io.out(`${data.name}: ${measured.samples} samples, loss ${result.loss.toFixed(4)}${metric}\n`);
  if (result.confusion !== undefined) {
    const names = result.confusion.map((_, i) => classes?.[i] ?? String(i));
    io.out(`confusion (rows: label, columns: predicted)\n${table([['', ...names], ...result.confusion.map((row, i) => [names[i] as string, ...row.map(String)])])}`);
  }
}
