import type { TaskName } from './task.js';

/** Loss and the task's metric over some data, as train and evaluate report them. */
export interface Measured {
  /** Mean loss: cross-entropy per label (sample or token), or mean squared error per target value. */
  readonly loss: number;
  /** Classification: percent of labels predicted correctly, 0–100. */
  readonly accuracy?: number;
  /** Regression: mean absolute error per target value. */
  readonly mae?: number;
  /** Language model: `exp(loss)`. */
  readonly perplexity?: number;
}

/** Sums one pass's batches (loss weighted by labels, the metric's sum) and turns them into {@link Measured}. */
export class Tally {
  private lossSum = 0;
  private metricSum = 0;
  private unitCount = 0;

  /** Adds a batch: its mean loss, the sum of its metric, and its number of labels. */
  add(meanLoss: number, metricSum: number, units: number): void {
    this.lossSum += meanLoss * units;
    this.metricSum += metricSum;
    this.unitCount += units;
  }

  get units(): number {
    return this.unitCount;
  }

  result(task: TaskName): Measured {
    return measured(task, this.lossSum / this.unitCount, this.metricSum / this.unitCount);
  }
}

/** The fields of `task` from a mean loss and a mean metric (fraction correct, or mean absolute error). */
export function measured(task: TaskName, loss: number, meanMetric: number): Measured {
  if (task === 'classification') return { loss, accuracy: 100 * meanMetric };
  if (task === 'regression') return { loss, mae: meanMetric };
  return { loss, perplexity: Math.exp(loss) };
}

/** `{ trainLoss, trainAccuracy }`, `{ testLoss, testMae }`, …: a measurement under the names of `EpochStats`. */
export function prefixed(prefix: 'train' | 'test', m: Measured): Record<string, number> {
  const fields: Record<string, number> = { [`${prefix}Loss`]: m.loss };
  if (m.accuracy !== undefined) fields[`${prefix}Accuracy`] = m.accuracy;
  if (m.mae !== undefined) fields[`${prefix}Mae`] = m.mae;
  if (m.perplexity !== undefined) fields[`${prefix}Perplexity`] = m.perplexity;
  return fields;
}

/** The metric's short text for progress lines: `acc 97.12%`, `mae 0.1234`, `ppl 3.21`. */
export function metricText(m: Measured): string {
  if (m.accuracy !== undefined) return `acc ${m.accuracy.toFixed(2)}%`;
  if (m.mae !== undefined) return `mae ${m.mae.toFixed(4)}`;
  if (m.perplexity !== undefined) return `ppl ${m.perplexity.toFixed(2)}`;
  return '';
}

/** Metrics early stopping can watch, by task. */
export const METRICS_OF_TASK: Readonly<Record<TaskName, readonly string[]>> = {
  classification: ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'],
  regression: ['trainLoss', 'testLoss', 'trainMae', 'testMae'],
  'language-model': ['trainLoss', 'testLoss', 'trainPerplexity', 'testPerplexity'],
};
