import * as tf from '@tensorflow/tfjs';
import { inputList, type ModelInputs, predictTensors } from './model-tensors.js';

/** How a causality check feeds a model fed token ids. */
export interface CausalFeed {
  /** Number of distinct ids: a changed token is `(id + 1) mod vocabulary`. */
  readonly vocabulary: number;
  /** The model's inputs for int32 token rows [batch, T] (a GPT's ids, positions and causal mask): new tensors. */
  inputsFor(tokens: tf.Tensor2D): ModelInputs;
}

/** Options of {@link checkCausality}. */
export interface CausalityOptions {
  /** Positions whose token is changed, each in turn. Default: every position but the first. */
  readonly positions?: readonly number[];
  /** Largest allowed max |Δ| at earlier positions, relative to max |y|. Default 0: causality is exact. */
  readonly tolerance?: number;
}

/** What {@link checkCausality} found. */
export interface CausalityResult {
  /** Earlier positions never moved, and some change did move a later one (so the check was not vacuous). */
  readonly ok: boolean;
  /** Largest |Δ| seen at positions before the changed token, over all outputs and changes. */
  readonly maxEarlierDiff: number;
  /** Largest |Δ| seen at or after the changed token. */
  readonly maxLaterDiff: number;
  /** Position changed when the worst earlier |Δ| was seen, or `undefined` when none moved. */
  readonly worstPosition?: number;
  readonly message: string;
}

/**
 * The causality check for sequence models that declare a causal mask: for each position t, every token at t is
 * changed and the model run again; every output ([batch, T, …]) at positions before t must stay as it was (exactly,
 * by default), and some output at or after t must move somewhere, or the check would pass by ignoring its inputs.
 * Run in inference mode. Disposes what it creates; the caller keeps `tokens`.
 */
export function checkCausality(model: tf.LayersModel, tokens: tf.Tensor2D, feed: CausalFeed, options: CausalityOptions = {}): CausalityResult {
  const [batch, length] = tokens.shape;
  const tolerance = options.tolerance ?? 0;
  const positions = options.positions ?? Array.from({ length: Math.max(length - 1, 0) }, (_, i) => i + 1);
  const base = run(model, tokens, feed);
  const shapeProblem = base.findIndex((output) => output.shape[0] !== batch || output.shape[1] !== length);
  if (shapeProblem >= 0) {
    const shape = base[shapeProblem]!.shape;
    return { ok: false, maxEarlierDiff: Number.NaN, maxLaterDiff: Number.NaN, message: `Output ${shapeProblem} has shape [${shape.join(', ')}]; a causality check needs [${batch}, ${length}, …], one entry per token.` };
  }
  const peak = Math.max(1e-12, ...base.map((output) => maxAbs(output.values)));
  const ids = tokens.arraySync();
  let maxEarlierDiff = 0;
  let maxLaterDiff = 0;
  let worstPosition: number | undefined;
  for (const t of positions) {
    const changed = tf.tensor2d(ids.map((row) => row.map((id, p) => (p === t ? (id + 1) % feed.vocabulary : id))), [batch, length], 'int32');
    const moved = run(model, changed, feed);
    changed.dispose();
    base.forEach((output, o) => {
      const per = output.values.length / (batch * length);
      const after = moved[o]!.values;
      for (let i = 0; i < output.values.length; i++) {
        const position = Math.floor(i / per) % length;
        const diff = Math.abs(output.values[i]! - after[i]!);
        if (position < t && diff > maxEarlierDiff) {
          maxEarlierDiff = diff;
          worstPosition = t;
        }
        if (position >= t) maxLaterDiff = Math.max(maxLaterDiff, diff);
      }
    });
  }
  const earlierOk = maxEarlierDiff <= tolerance * peak;
  const measured = `max |Δ| before the changed token ${maxEarlierDiff.toExponential(2)}, at or after it ${maxLaterDiff.toExponential(2)}, over ${positions.length} changed positions of ${batch} rows`;
  if (!earlierOk) return { ok: false, maxEarlierDiff, maxLaterDiff, ...(worstPosition === undefined ? {} : { worstPosition }), message: `Not causal: changing the token at position ${worstPosition} moved outputs at earlier positions (${measured}).` };
  if (maxLaterDiff === 0 && positions.length > 0) return { ok: false, maxEarlierDiff, maxLaterDiff, message: `Changing tokens moved no output at all, so causality was not tested (${measured}).` };
  return { ok: true, maxEarlierDiff, maxLaterDiff, message: `Causal: ${measured}.` };
}

function run(model: tf.LayersModel, tokens: tf.Tensor2D, feed: CausalFeed): { shape: number[]; values: Float32Array }[] {
  const inputs = feed.inputsFor(tokens);
  try {
    return tf.tidy(() => predictTensors(model, inputs).map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array })));
  } finally {
    tf.dispose(inputList(inputs));
  }
}

function maxAbs(values: Float32Array): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}
