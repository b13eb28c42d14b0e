import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraftError } from '@graft/core';
import type { DemoDataset } from './options.js';

/** Test metrics after one epoch. Accuracy is in percent (0–100). */
export interface EpochPoint {
  readonly epoch: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
}

/** The grown model measured before any training, against the trained base model. */
export interface GrownBeforeTraining {
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** Largest absolute difference between the base's and the grown model's predicted probabilities on the test set. */
  readonly maxAbsDiff: number;
}

/** Who reached the better test accuracy with the same number of training steps. */
export type Verdict = 'growing won' | 'from scratch won' | 'tie';

/** One strategy applied at one site of the trained base model. */
export interface ExperimentReport {
  readonly strategy: string;
  /** The layer the strategy inserted after. */
  readonly site: string;
  /** Names of the layers the strategy added. */
  readonly added: readonly string[];
  /** The base model's history; the same for every experiment, since they all grow copies of one base. */
  readonly base: readonly EpochPoint[];
  readonly grownBeforeTraining: GrownBeforeTraining;
  /** True when growing changed neither accuracy nor (beyond float noise) any prediction. */
  readonly preserved: boolean;
  /** Epochs of the grown model, numbered from 1. */
  readonly grown: readonly EpochPoint[];
  /** With `--compare-scratch`: the grown architecture trained from a fresh initialisation, base + grown epochs. */
  readonly scratch?: readonly EpochPoint[];
  readonly verdict?: Verdict;
}

/** How the run was set up, so a report can be reproduced. */
export interface RunSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly seed: number;
  readonly freeze: boolean;
  readonly quick: boolean;
  readonly compareScratch: boolean;
  readonly trainSamples: number;
  readonly testSamples: number;
}

/** Everything `report.json` holds. */
export interface DemoReport {
  readonly dataset: DemoDataset;
  /** The tfjs backend that ran the numbers: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** The engine's one-line description of that backend and why it was chosen. */
  readonly backendDescription: string;
  readonly experiments: readonly ExperimentReport[];
  readonly settings: RunSettings;
  /** ISO time the run finished. */
  readonly createdAt: string;
}

/** Beyond this, a prediction differs by more than float rounding of an exact identity could explain. */
export const MAX_ABS_DIFF_TOLERANCE = 1e-5;

/** True when growing kept accuracy exactly and every prediction within {@link MAX_ABS_DIFF_TOLERANCE}. */
export function isPreserved(base: EpochPoint, before: GrownBeforeTraining): boolean {
  return before.testAccuracy === base.testAccuracy && before.maxAbsDiff <= MAX_ABS_DIFF_TOLERANCE;
}

/**
 * Refuses a report folder that already holds files, before any training, so a long run never ends in a refusal.
 *
 * @throws GraftError `OUTPUT_EXISTS` when `dir` exists and is not empty; `IO_FAILED` when it cannot be read.
 */
export async function assertOutputFree(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new GraftError('OUTPUT_EXISTS', `--out ${dir} is a file; expected a new or empty folder.`, { cause });
    throw new GraftError('IO_FAILED', `--out ${dir} cannot be read (${code ?? String(cause)}).`, { cause });
  }
  if (entries.length > 0) {
    throw new GraftError('OUTPUT_EXISTS', `--out ${dir} is not empty; choose a new folder or empty this one.`);
  }
}

/**
 * Writes `files` (name → text) into `dir`, each through a temporary file renamed into place, so a reader never
 * sees half a report.
 *
 * @throws GraftError `IO_FAILED` naming the file that could not be written.
 */
export async function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  await guardIo(dir, () => mkdir(dir, { recursive: true }));
  for (const [name, text] of Object.entries(files)) {
    const target = join(dir, name);
    const temporary = join(dir, `.${name}.${process.pid}.tmp`);
    await guardIo(target, async () => {
      try {
        await writeFile(temporary, text, 'utf8');
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    });
  }
}

/** `report.json`'s text: the report (of either experiment) with two-space indentation and a final newline. */
export function reportJson(report: object): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

async function guardIo(path: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new GraftError('IO_FAILED', `${path} could not be written (${code ?? String(cause)}).`, { cause });
  }
}
