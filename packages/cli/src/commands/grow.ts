import path from 'node:path';
import { GraftError, grow, isModelWide, MODEL_WIDE_SITE, type SurgeryStrategy } from '@graft/core';
import { loadModel, saveModel } from '@graft/core/node';
import { useBestBackend } from '@graft/engine';
import { writeJson, type CliIO } from '../io.js';
import { assertOutputFree } from '../output-dir.js';
import { comparePredictions, type PreservationResult } from '../predictions.js';
import { registeredStrategies, type StrategyLookup } from '../strategies.js';

/** Options of `graft grow`, as parsed by commander. */
export interface GrowOptions {
  readonly strategy: string;
  /** A layer; for a model-wide strategy omitted or `*`. */
  readonly after?: string;
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
/** Models above this many parameters are checked on the fastest backend: on cpu, 32 samples of 67M take ~10 s. */
const FAST_CHECK_PARAMS = 1_000_000;
/** As in `graft verify`: allowed max |Δ| relative to max |y| of the source, per output. */
const CHECK_TOLERANCE = 1e-5;

/** `--set noise=x` with x ≠ 0 asks a strategy to perturb on purpose; preservation is then reported, not required. */
function asksForNoise(options: Readonly<Record<string, string>>): boolean {
  const noise = options['noise'];
  return noise !== undefined && Number(noise) !== 0;
}

/**
 * The site `--after` names: a layer for a layer strategy; `*` for a model-wide one, where `--after` may be left out.
 * @throws GraftError `INVALID_ARGUMENT` when a layer strategy is given no `--after`.
 */
function siteOf(strategy: SurgeryStrategy, after: string | undefined): string {
  if (after !== undefined) return after;
  if (isModelWide(strategy)) return MODEL_WIDE_SITE;
  throw new GraftError('INVALID_ARGUMENT', `Strategy "${strategy.name}" grows after a layer; expected --after <layer> (graft inspect lists its sites).`);
}

/**
 * `graft grow`: applies a strategy after a layer, checks on seeded random inputs that the grown model predicts what
 * the source did, and only then saves it (atomically) to `--out`. Nothing is written when any step fails.
 *
 * @throws GraftError `UNKNOWN_STRATEGY`, `UNKNOWN_LAYER`, `SITE_NOT_OFFERED`, `INVALID_OPTION`, `OUTPUT_EXISTS`,
 * model file codes from `loadModel`, and `NOT_PRESERVED` when the grown model's predictions moved.
 */
export async function growCommand(file: string, options: GrowOptions, io: CliIO, strategies: StrategyLookup = registeredStrategies): Promise<void> {
  const strategy = strategies.create(options.strategy);
  const after = siteOf(strategy, options.after);
  const settings = options.set ?? {};
  await assertOutputFree(options.out);
  const model = await loadModel(file);
  const { model: grown, added } = await grow(model, strategy, { after }, settings);
  // Loading and surgery run on tfjs's default cpu backend, where weights are views of the file and the grown model
  // shares the source's data, so the grown model is written first (to saveModel's temporary folder), straight from
  // those buffers. The check runs before the files take --out's place: for a large model batched on the fastest
  // backend (the weights move there, once each, and leave cpu); a small one on cpu, whose summation order is the
  // source's, so an exact strategy reports a difference of exactly 0 there.
  let comparison: PreservationResult | undefined;
  const check = async (): Promise<void> => {
    if (model.countParams() > FAST_CHECK_PARAMS) await useBestBackend();
    comparison = await comparePredictions(model, grown, CHECK_SAMPLES, CHECK_TOLERANCE);
    if (!comparison.ok && !asksForNoise(settings)) {
      throw new GraftError('NOT_PRESERVED', `${comparison.message} Expected the grown model to predict what the source does; nothing was written.`);
    }
  };
  try {
    await saveModel(grown, options.out, { beforeCommit: check });
  } finally {
    model.dispose();
    grown.dispose();
  }
  if (comparison === undefined) throw new GraftError('IO_FAILED', 'The grown model was saved without being checked; expected saveModel to run the check.');
  const result: GrowResult = { strategy: strategy.name, after, out: path.resolve(options.out), added, maxAbsDiff: comparison.maxAbsDiff };
  if (options.json === true) return writeJson(io, result);
  const where = after === MODEL_WIDE_SITE ? 'across the whole model' : `after "${after}"`;
  io.out(`Grew ${file} with ${result.strategy} ${where}: added ${added.join(', ')}.\n`);
  io.out(`Saved to ${result.out} (max |difference| ${result.maxAbsDiff} on ${comparison.samples} random inputs).\n`);
}
