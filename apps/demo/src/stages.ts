import type { DemoDataset } from './options.js';
import type { DemoReport, EpochPoint, ExperimentReport, Verdict } from './report.js';

/**
 * The write-up's MNIST test accuracies (percent) that this demo reproduces: the base model after epochs 1 and 2,
 * the grown model after its epochs 1 and 2. Before training, the grown model equals the base.
 */
export const WRITE_UP = { dataset: 'mnist', base: [97.38, 97.66], grown: [98.19, 98.31] } as const;

/** A caveat under the tables when the write-up's figures are shown for a run they do not describe. */
export function writeUpNote(report: DemoReport): string[] {
  if (report.dataset !== WRITE_UP.dataset) return [];
  const s = report.settings;
  const full = !s.quick && s.trainSamples === 60_000 && s.testSamples === 10_000;
  return full ? [] : [`(The write-up's figures are for full MNIST: 60,000 training and 10,000 test images.)`];
}

/** One row of an experiment's table, shared by the console and the HTML report. */
export interface StageRow {
  readonly stage: string;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** The write-up's accuracy for this stage, `= base`, or empty when the write-up has no such figure. */
  readonly writeUp: string;
}

/** The stages of an experiment in the order they happened: base epochs, grown before training, grown epochs, scratch. */
export function stageRows(experiment: ExperimentReport, dataset: DemoDataset): StageRow[] {
  const figures = dataset === WRITE_UP.dataset;
  const figure = (values: readonly number[], epoch: number): string => {
    const value = figures ? values[epoch - 1] : undefined;
    return value === undefined ? '' : value.toFixed(2);
  };
  const row = (stage: string, point: Omit<EpochPoint, 'epoch'>, writeUp: string): StageRow => ({
    stage,
    testLoss: point.testLoss,
    testAccuracy: point.testAccuracy,
    writeUp,
  });
  return [
    ...experiment.base.map((p) => row(`base epoch ${p.epoch}`, p, figure(WRITE_UP.base, p.epoch))),
    row('grown before training', experiment.grownBeforeTraining, figures ? '= base' : ''),
    ...experiment.grown.map((p) => row(`grown epoch ${p.epoch}`, p, figure(WRITE_UP.grown, p.epoch))),
    ...(experiment.scratch ?? []).map((p) => row(`scratch epoch ${p.epoch}`, p, '')),
  ];
}

/** The measured difference between the grown model before training and the trained base. */
export interface PreservationCheck {
  readonly lossDelta: number;
  readonly accuracyDelta: number;
  readonly maxAbsDiff: number;
  readonly preserved: boolean;
}

/** Compares `grownBeforeTraining` with the base's last epoch; undefined when the base has no epoch. */
export function preservationCheck(experiment: ExperimentReport): PreservationCheck | undefined {
  const last = experiment.base.at(-1);
  if (last === undefined) return undefined;
  const before = experiment.grownBeforeTraining;
  return {
    lossDelta: before.testLoss - last.testLoss,
    accuracyDelta: before.testAccuracy - last.testAccuracy,
    maxAbsDiff: before.maxAbsDiff,
    preserved: experiment.preserved,
  };
}

/** One plain sentence: did growing preserve the function, with the measured numbers. */
export function preservationSentence(experiment: ExperimentReport): string {
  const check = preservationCheck(experiment);
  if (check === undefined) return 'No base epoch to compare with.';
  const measured = `Δ test loss ${signed(check.lossDelta)}, Δ test accuracy ${signed(check.accuracyDelta)} points, max |Δ prediction| ${small(check.maxAbsDiff)}`;
  return check.preserved
    ? `Growing preserved the function: ${measured}.`
    : `NOT PRESERVED: growing with ${experiment.strategy} after "${experiment.site}" changed the model (${measured}).`;
}

/** One plain sentence about the from-scratch comparison, or undefined without one. */
export function verdictSentence(experiment: ExperimentReport, dataset: DemoDataset): string | undefined {
  const scratch = experiment.scratch?.at(-1);
  const grown = experiment.grown.at(-1);
  if (experiment.verdict === undefined || scratch === undefined || grown === undefined) return undefined;
  const [b, g] = [experiment.base.length, experiment.grown.length];
  const steps = `after ${b + g} epochs in all (${b} base + ${g} grown vs ${experiment.scratch?.length ?? 0} from scratch)`;
  const numbers = `grown ${grown.testAccuracy.toFixed(2)} % vs from scratch ${scratch.testAccuracy.toFixed(2)} % test accuracy`;
  const outcome =
    experiment.verdict === 'growing won'
      ? 'growing won'
      : experiment.verdict === 'from scratch won'
        ? 'training from scratch won'
        : 'it was a tie';
  return `On ${dataset}, ${steps}, ${outcome} for ${experiment.strategy}: ${numbers}.`;
}

function signed(value: number): string {
  return value === 0 ? '0' : `${value > 0 ? '+' : '−'}${small(Math.abs(value))}`;
}

/** `0`, `3.21e-7`: measured differences are either exactly zero or tiny, and both should read plainly. */
export function small(value: number): string {
  return value === 0 ? '0' : value.toExponential(2);
}

/** Test accuracies less than this apart (percentage points) are a tie: on 10,000 test images, 10 images. */
export const TIE_POINTS = 0.1;

/**
 * Compares the last grown epoch with the last from-scratch epoch by test accuracy, after the same number of
 * training steps in all.
 */
export function decideVerdict(grown: readonly EpochPoint[], scratch: readonly EpochPoint[]): Verdict | undefined {
  const g = grown.at(-1);
  const s = scratch.at(-1);
  if (g === undefined || s === undefined) return undefined;
  const difference = g.testAccuracy - s.testAccuracy;
  // The slack keeps a difference of exactly TIE_POINTS (97.9 vs 98.0) from reading as 0.0999… in binary.
  if (Math.abs(difference) < TIE_POINTS - 1e-9) return 'tie';
  return difference > 0 ? 'growing won' : 'from scratch won';
}
