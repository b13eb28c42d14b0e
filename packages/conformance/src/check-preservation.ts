import * as tf from '@tensorflow/tfjs';
import { allFinite, type ModelInputs, predictTensors } from './model-tensors.js';

/** The project's tolerance for "the same function": max |Δ| ≤ 1e-5 · max |y|. */
export const DEFAULT_TOLERANCE = 1e-5;

/** Options of {@link checkPreservation}. */
export interface PreservationOptions {
  /** Largest allowed max |Δ| relative to max |y| of the source, per output. Default {@link DEFAULT_TOLERANCE}. */
  readonly tolerance?: number;
}

/** What {@link checkPreservation} found. */
export interface PreservationResult {
  /** True when every output is within tolerance, finite, of the same shape, and every argmax agrees. */
  readonly ok: boolean;
  /** Largest |source − grown| over all outputs and samples. */
  readonly maxAbsDiff: number;
  /** Largest |source| over all outputs and samples. */
  readonly maxAbsY: number;
  /** Worst output's max |Δ| / max |y| (with max |y| floored at 1e-12). */
  readonly relative: number;
  /**
   * Fraction (0..1, not percent) of rows — samples × positions, over outputs with more than one unit on the last
   * axis — whose argmax agrees. A row whose top two source values lie within the tolerance counts as agreeing: the
   * two models are only claimed equal to that precision. 1 when no output has more than one unit.
   */
  readonly argmaxAgreement: number;
  /** Number of samples compared (the batch size of the inputs). */
  readonly samples: number;
  /** One line saying what failed, or what was measured. */
  readonly message: string;
}

/**
 * Runs `source` and `grown` in inference mode (`predict`: dropout off) on the same `inputs` and compares every
 * output. Used by the conformance suite (check 1) and by the CLI's `verify`. Disposes what it creates; the caller
 * keeps `inputs`.
 */
export function checkPreservation(
  source: tf.LayersModel,
  grown: tf.LayersModel,
  inputs: ModelInputs,
  options: PreservationOptions = {},
): PreservationResult {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const before = tf.tidy(() => predictTensors(source, inputs));
  const after = tf.tidy(() => predictTensors(grown, inputs));
  try {
    const samples = before[0]?.shape[0] ?? 0;
    if (before.length !== after.length) {
      return failed(samples, `The grown model has ${after.length} outputs; the source has ${before.length}.`);
    }
    let maxAbsDiff = 0;
    let maxAbsY = 0;
    let relative = 0;
    let rows = 0;
    let agreeing = 0;
    for (let o = 0; o < before.length; o++) {
      const y = before[o] as tf.Tensor;
      const z = after[o] as tf.Tensor;
      if (y.shape.join() !== z.shape.join()) {
        return failed(samples, `Output ${o} has shape [${z.shape.join(', ')}] after growing; expected [${y.shape.join(', ')}].`);
      }
      const a = y.dataSync();
      const b = z.dataSync();
      if (!allFinite(b)) return failed(samples, `Output ${o} of the grown model holds NaN or infinite values.`);
      let diff = 0;
      let peak = 0;
      for (let i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
        peak = Math.max(peak, Math.abs(a[i] as number));
      }
      maxAbsDiff = Math.max(maxAbsDiff, diff);
      maxAbsY = Math.max(maxAbsY, peak);
      relative = Math.max(relative, diff / Math.max(peak, 1e-12));
      const units = y.shape[y.shape.length - 1] ?? 1;
      if (units > 1) {
        for (let r = 0; r < a.length / units; r++) {
          rows++;
          if (argmaxAgrees(a, b, r * units, units, tolerance * Math.max(peak, 1e-12))) agreeing++;
        }
      }
    }
    const argmaxAgreement = rows === 0 ? 1 : agreeing / rows;
    const ok = relative <= tolerance && argmaxAgreement === 1;
    const measured = `max |Δ| = ${maxAbsDiff.toExponential(2)}, max |y| = ${maxAbsY.toExponential(2)}, relative ${relative.toExponential(2)} (tolerance ${tolerance.toExponential(0)}), argmax agreement ${(argmaxAgreement * 100).toFixed(1)}% on ${samples} samples`;
    return { ok, maxAbsDiff, maxAbsY, relative, argmaxAgreement, samples, message: ok ? `Predictions preserved: ${measured}.` : `Predictions changed: ${measured}.` };
  } finally {
    tf.dispose([...before, ...after]);
  }
}

function failed(samples: number, message: string): PreservationResult {
  return { ok: false, maxAbsDiff: Number.POSITIVE_INFINITY, maxAbsY: Number.NaN, relative: Number.POSITIVE_INFINITY, argmaxAgreement: 0, samples, message };
}

function argmaxAgrees(a: ArrayLike<number>, b: ArrayLike<number>, start: number, units: number, tie: number): boolean {
  let best = start;
  let bestGrown = start;
  for (let i = start + 1; i < start + units; i++) {
    if ((a[i] as number) > (a[best] as number)) best = i;
    if ((b[i] as number) > (b[bestGrown] as number)) bestGrown = i;
  }
  return best === bestGrown || (a[best] as number) - (a[bestGrown] as number) <= tie;
}
