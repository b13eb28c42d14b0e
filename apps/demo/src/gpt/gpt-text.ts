import type { GptDemoReport, GptExperimentReport, Spread, StrategySummary } from './gpt-report.js';
import { MAX_ABS_DIFF_TOLERANCE } from '../report.js';
import { small } from '../stages.js';

/** `1.23 PFLOP`, `456 GFLOP`: FLOPs in the largest unit that keeps a number above 1. */
export function formatFlops(flops: number): string {
  if (flops === 0) return '0 FLOP';
  const [value, unit] = flopsUnit(flops);
  return `${(flops / value).toPrecision(3)} ${unit}FLOP`;
}

/** The power of 1000 and its prefix for `flops`. */
export function flopsUnit(flops: number): [number, string] {
  const units: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  return units.find(([value]) => flops >= value) ?? [1, ''];
}

/** `1.923 ± 0.012` (sample standard deviation), or just the value for one seed. */
export function meanSpread(s: Spread, digits = 3): string {
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** One row of an experiment's table, shared by the console and the HTML report. */
export interface GptStageRow {
  readonly stage: string;
  readonly step: number;
  readonly testLoss: number;
  readonly flops: number;
}

/** The stages of one experiment: base at start and end, grown before and after training, scratch at start and end. */
export function gptStageRows(e: GptExperimentReport): GptStageRow[] {
  const row = (stage: string, p: { step: number; testLoss: number; flops: number } | undefined): GptStageRow[] => (p === undefined ? [] : [{ stage, ...p }]);
  const baseEnd = e.base.at(-1);
  return [
    ...row('base, initial', e.base[0]),
    ...row('base, trained', baseEnd),
    ...row('grown before training', baseEnd === undefined ? undefined : { step: 0, testLoss: e.grownBeforeTraining.testLoss, flops: baseEnd.flops }),
    ...row('grown, trained', e.grown.at(-1)),
    ...row('from scratch, initial', e.scratch[0]),
    ...row('from scratch, trained', e.scratch.at(-1)),
  ];
}

/** An experiment's rows as aligned plain text. */
export function gptTable(e: GptExperimentReport): string {
  const rows = gptStageRows(e);
  const header = ['stage', 'step', 'test loss', 'training FLOPs'];
  const cells = rows.map((r) => [r.stage, String(r.step), r.testLoss.toFixed(4), formatFlops(r.flops)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i === 0 ? x.padEnd(widths[i] as number) : x.padStart(widths[i] as number))).join('  ');
  return [`${e.strategy}, seed ${e.seed} (${e.growth})`, line(header), ...cells.map(line)].join('\n');
}

/** Did growing keep the function: measured, in one sentence. */
export function gptPreservationSentence(e: GptExperimentReport): string {
  const baseLoss = e.base.at(-1)?.testLoss ?? NaN;
  const measured = `Δ test loss ${small(Math.abs(e.grownBeforeTraining.testLoss - baseLoss))}, max |Δ probability| ${small(e.grownBeforeTraining.maxAbsDiff)}`;
  return e.preserved
    ? `Growing preserved the function: ${measured}.`
    : `NOT PRESERVED: growing with ${e.strategy} changed the model (${measured}; tolerance ${MAX_ABS_DIFF_TOLERANCE}).`;
}

/** The headline of one strategy over its seeds. */
export function headlineSentence(s: StrategySummary): string {
  const seeds = `${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'}`;
  const losses = `final test loss grown ${meanSpread(s.grownFinalLoss)} vs from scratch ${meanSpread(s.scratchLossAtEqualFlops)} at equal FLOPs (difference ${meanSpread(s.lossDifference)}; negative: growing ended lower)`;
  const reach =
    s.computeRatio === null
      ? 'the grown run never reached the from-scratch run\'s final loss'
      : `the grown run (base training included) reached the from-scratch run's final loss with ${meanSpread(s.computeRatio, 2)} of its FLOPs (in ${s.reached} of ${s.seeds.length}${s.reachedBeforeGrowth === 0 ? '' : `; in ${s.reachedBeforeGrowth} the base model got there before it was grown`})`;
  return `${s.strategy} (${seeds}): ${losses}; ${reach}.`;
}

/** The lines printed at the end of a run. */
export function gptSummaryLines(report: GptDemoReport): string[] {
  return report.summary.map(headlineSentence);
}
