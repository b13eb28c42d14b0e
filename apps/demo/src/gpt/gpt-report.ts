import type { LossPoint } from './lm-train.js';

/** The GPT's shape, as `gpt()` of `@graft/models` takes it. */
export interface Architecture {
  readonly vocabSize: number;
  readonly context: number;
  readonly dModel: number;
  readonly heads: number;
  readonly blocks: number;
  readonly mlpRatio: number;
  readonly parameters: number;
}

/** The headline numbers of one experiment (one strategy, one seed). */
export interface Headline {
  /** Test loss of the grown model at the end of its training. */
  readonly grownFinalLoss: number;
  /** Test loss of the from-scratch run at the same cumulative FLOPs (its budget is the grown run's, base included). */
  readonly scratchLossAtEqualFlops: number;
  /** `grownFinalLoss − scratchLossAtEqualFlops`: negative when growing ended lower. */
  readonly lossDifference: number;
  /** Training FLOPs the from-scratch run spent in all. */
  readonly scratchFlops: number;
  /**
   * Cumulative FLOPs (the base model's training included) at which the base → grown run first reached the
   * from-scratch run's final test loss, interpolated between evaluations; null when it never did.
   */
  readonly flopsToReachScratchFinal: number | null;
  /** `flopsToReachScratchFinal / scratchFlops`: below 1 means growing saved compute. Null when not reached. */
  readonly computeRatio: number | null;
  /**
   * True when the base model reached the from-scratch final loss before it was grown: the ratio then measures the
   * small model, not the growth.
   */
  readonly reachedBeforeGrowth: boolean;
}

/** One strategy grown from one base model, with its from-scratch control. */
export interface GptExperimentReport {
  readonly strategy: string;
  readonly seed: number;
  /** Options given to the strategy and how it was applied. */
  readonly growth: string;
  readonly architecture: { readonly base: Architecture; readonly grown: Architecture };
  readonly flopsPerStep: { readonly base: number; readonly grown: number };
  /** The base model's test loss from step 0; the same for both strategies of one seed. */
  readonly base: readonly LossPoint[];
  /** The grown model before any training: its test loss, and the largest change of a predicted probability. */
  readonly grownBeforeTraining: { readonly testLoss: number; readonly maxAbsDiff: number };
  readonly preserved: boolean;
  /** The grown model's training, steps counted from the growth, FLOPs from the base model's first step. */
  readonly grown: readonly LossPoint[];
  /** The grown architecture from a fresh initialisation, given the same FLOPs as base + grown. */
  readonly scratch: readonly LossPoint[];
  readonly headline: Headline;
}

/** Mean and spread of one number over seeds. */
export interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Sample standard deviation (0 for one seed). */
  readonly std: number;
  readonly n: number;
}

/** A strategy's headline numbers over every seed. */
export interface StrategySummary {
  readonly strategy: string;
  readonly seeds: readonly number[];
  readonly grownFinalLoss: Spread;
  readonly scratchLossAtEqualFlops: Spread;
  readonly lossDifference: Spread;
  /** Over the seeds where the grown run reached the from-scratch final loss; `reached` says how many. */
  readonly computeRatio: Spread | null;
  readonly reached: number;
  /** Of those, the seeds where the base model got there before it was grown. */
  readonly reachedBeforeGrowth: number;
}

/** Text generated from one prompt by one model. */
export interface GeneratedSample {
  readonly model: string;
  readonly text: string;
}

/** Everything the GPT experiment's `report.json` holds. */
export interface GptDemoReport {
  readonly dataset: 'brown';
  readonly backend: string;
  readonly backendDescription: string;
  readonly experiments: readonly GptExperimentReport[];
  readonly summary: readonly StrategySummary[];
  readonly prompt: string;
  /** Seeded sampling (temperature below) from the first seed's models. */
  readonly samples: readonly GeneratedSample[];
  readonly settings: GptRunSettings;
  /** Wall-clock seconds of the whole run. */
  readonly seconds: number;
  readonly createdAt: string;
}

/** How the GPT run was set up. */
export interface GptRunSettings {
  readonly quick: boolean;
  readonly seeds: readonly number[];
  readonly baseSteps: number;
  readonly grownSteps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly evalEvery: number;
  readonly testWindows: number;
  readonly trainCharacters: number;
  readonly testCharacters: number;
  readonly vocabularySize: number;
  readonly temperature: number;
  readonly flopsRule: string;
}

/**
 * The test loss of a run at `flops`, interpolated linearly between the two evaluations around it; the last
 * point's loss beyond the end (within 1e-9 relative); NaN before the first point or for an empty run.
 */
export function lossAtFlops(points: readonly LossPoint[], flops: number): number {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined || flops < first.flops) return NaN;
  if (flops >= last.flops) return flops <= last.flops * (1 + 1e-9) ? last.testLoss : NaN;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1] as LossPoint, points[i] as LossPoint];
    if (flops <= b.flops) return b.flops === a.flops ? b.testLoss : a.testLoss + ((flops - a.flops) / (b.flops - a.flops)) * (b.testLoss - a.testLoss);
  }
  return last.testLoss;
}

/**
 * The first cumulative FLOPs at which a run's test loss is at or below `target`, interpolated linearly between
 * the evaluation before and the first one at or below it; null when no evaluation reaches it.
 */
export function flopsToReach(points: readonly LossPoint[], target: number): number | null {
  const index = points.findIndex((p) => p.testLoss <= target);
  if (index < 0) return null;
  const hit = points[index] as LossPoint;
  const before = points[index - 1];
  if (before === undefined || before.testLoss === hit.testLoss) return hit.flops;
  return before.flops + ((before.testLoss - target) / (before.testLoss - hit.testLoss)) * (hit.flops - before.flops);
}

/** The headline numbers of one experiment from its three curves. */
export function headline(base: readonly LossPoint[], grown: readonly LossPoint[], scratch: readonly LossPoint[]): Headline {
  const grownEnd = grown.at(-1);
  const scratchEnd = scratch.at(-1);
  const grownFinalLoss = grownEnd?.testLoss ?? NaN;
  const scratchLossAtEqualFlops = grownEnd === undefined ? NaN : lossAtFlops(scratch, grownEnd.flops);
  const scratchFlops = scratchEnd?.flops ?? NaN;
  const reach = scratchEnd === undefined ? null : flopsToReach([...base, ...grown], scratchEnd.testLoss);
  const grownAt = base.at(-1)?.flops ?? 0;
  return {
    grownFinalLoss,
    scratchLossAtEqualFlops,
    lossDifference: grownFinalLoss - scratchLossAtEqualFlops,
    scratchFlops,
    flopsToReachScratchFinal: reach,
    computeRatio: reach === null ? null : reach / scratchFlops,
    reachedBeforeGrowth: reach !== null && reach <= grownAt,
  };
}

/** Mean, min, max and sample standard deviation; NaN fields for no values. */
export function spread(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, min: Math.min(...values), max: Math.max(...values), std: Math.sqrt(variance), n };
}

/** One summary per strategy, in the order the strategies first appear. */
export function summarise(experiments: readonly GptExperimentReport[]): StrategySummary[] {
  const strategies = [...new Set(experiments.map((e) => e.strategy))];
  return strategies.map((strategy) => {
    const runs = experiments.filter((e) => e.strategy === strategy);
    const ratios = runs.flatMap((e) => (e.headline.computeRatio === null ? [] : [e.headline.computeRatio]));
    return {
      strategy,
      seeds: runs.map((e) => e.seed),
      grownFinalLoss: spread(runs.map((e) => e.headline.grownFinalLoss)),
      scratchLossAtEqualFlops: spread(runs.map((e) => e.headline.scratchLossAtEqualFlops)),
      lossDifference: spread(runs.map((e) => e.headline.lossDifference)),
      computeRatio: ratios.length === 0 ? null : spread(ratios),
      reached: ratios.length,
      reachedBeforeGrowth: runs.filter((e) => e.headline.reachedBeforeGrowth).length,
    };
  });
}
