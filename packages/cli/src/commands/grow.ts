import path from 'node:path';
import { GraftError, grow, loadModel, saveModel } from '@graft/core';
import { useBestBackend } from '@graft/engine';
import { writeJson, type CliIO } from '../io.js';
import { assertOutputFree } from '../output-dir.js';
import { comparePredictions } from '../predictions.js';
import { createStrategy } from '../strategies.js';

/** Options of `graft grow`, as parsed by commander. */
export interface GrowOptions {
  readonly strategy: string;
  readonly after: string;
  readonly out: string;
  readonly set?: Readonly<Record<string, string>>;
  readonly json?: boolean;
}

/** What `graft grow --json` prints. */
export interface GrowResult {
  readonly strategy: string;
  readonly after: string;
  readonly out: string;
  readonly added: string[];
  readonly maxAbsDiff: number;
}

/** Random samples compared before saving: enough to catch a wrong weight, few enough to stay quick on a CPU. */
const CHECK_SAMPLES = 32;
/** As in `graft verify`: allowed max |Δ| relative to max |y| of the source, per output. */
const CHECK_TOLERANCE = 1e-5;

/** `--set noise=x` with x ≠ 0 asks a strategy to perturb on purpose; preservation is then reported, not required. */
function asksForNoise(options: Readonly<Record<string, string>>): boolean {
  const noise = options['noise'];
  return noise !== undefined && Number(noise) !== 0;
}

/**
 * `graft grow`: applies a strategy after a layer, checks on seeded random inputs that the grown model predicts what
 * the source did, and only then saves it (atomically) to `--out`. Nothing is written when any step fails.
 *
 * @throws GraftError `UNKNOWN_STRATEGY`, `UNKNOWN_LAYER`, `SITE_NOT_OFFERED`, `INVALID_OPTION`, `OUTPUT_EXISTS`,
 * model file codes from `loadModel`, and `NOT_PRESERVED` when the grown model's predictions moved.
 */
export async function growCommand(file: string, options: GrowOptions, io: CliIO): Promise<void> {
  const strategy = createStrategy(options.strategy);
  const settings = options.set ?? {};
  await assertOutputFree(options.out);
  const model = await loadModel(file);
  const { model: grown, added } = await grow(model, strategy, { after: options.after }, settings);
  // Loading and surgery run on tfjs's default cpu backend, where weights are views of the file and the grown model
  // shares the source's data; the check is the only arithmetic, batched on the fastest backend (weights move there,
  // once each, on first use).
  await useBestBackend();
  const comparison = await comparePredictions(model, grown, CHECK_SAMPLES, CHECK_TOLERANCE);
  if (!comparison.ok && !asksForNoise(settings)) {
    throw new GraftError('NOT_PRESERVED', `${comparison.message} Expected the grown model to predict what the source does; nothing was written.`);
  }
  await saveModel(grown, options.out);
  const result: GrowResult = { strategy: strategy.name, after: options.after, out: path.resolve(options.out), added, maxAbsDiff: comparison.maxAbsDiff };
  model.dispose();
  grown.dispose();
  if (options.json === true) return writeJson(io, result);
  io.out(`Grew ${file} with ${result.strategy} after "${result.after}": added ${added.join(', ')}.\n`);
  io.out(`Saved to ${result.out} (max |difference| ${result.maxAbsDiff} on ${comparison.samples} random inputs).\n`);
}
