import * as tf from '@tensorflow/tfjs';
import { disposeModel, grow, type Site, type StrategyOptions, type SurgeryStrategy } from '@graft/core';
import { messageOf } from './model-tensors.js';

/** What {@link checkSourceUnchanged} found. */
export interface SourceUnchangedResult {
  /** The source's weights and topology are as before, and a grow + dispose cycle left no tensor behind. */
  readonly ok: boolean;
  /** Weights (`<layer>/<index>`) whose values changed, or that were disposed. */
  readonly changedWeights: readonly string[];
  readonly topologyChanged: boolean;
  /** Tensors alive after the cycle that were not alive before it (0 when none leaked). */
  readonly leakedTensors: number;
  readonly message: string;
}

/**
 * Check 3: grows `source` once with `strategy` at `site`, disposes the grown model, and compares the source's
 * weights (every value), its topology, and `tf.memory().numTensors` with what they were before.
 * A `grow` that throws is reported as a failure, not rethrown.
 */
export async function checkSourceUnchanged(
  source: tf.LayersModel,
  strategy: SurgeryStrategy,
  site: Site,
  options?: StrategyOptions,
): Promise<SourceUnchangedResult> {
  const topology = JSON.stringify(source.toJSON(null, false));
  const weights = snapshot(source);
  const tensorsBefore = tf.memory().numTensors;
  let growError: unknown;
  try {
    const grown = await grow(source, strategy, site, options);
    disposeModel(grown.model);
  } catch (error) {
    growError = error;
  }
  const leakedTensors = Math.max(0, tf.memory().numTensors - tensorsBefore);
  const after = snapshot(source);
  const changedWeights = [...weights.keys()].filter((label) => !same(weights.get(label), after.get(label)));
  const topologyChanged = JSON.stringify(source.toJSON(null, false)) !== topology;
  const problems = [
    growError === undefined ? '' : `grow failed: ${messageOf(growError)}`,
    changedWeights.length === 0 ? '' : `source weights changed or disposed: ${changedWeights.join(', ')}`,
    topologyChanged ? 'the source topology changed' : '',
    leakedTensors === 0 ? '' : `${leakedTensors} tensors leaked by a grow + dispose cycle`,
  ].filter((p) => p !== '');
  const ok = problems.length === 0;
  return { ok, changedWeights, topologyChanged, leakedTensors, message: ok ? 'The source model is unchanged and no tensor leaked.' : `${problems.join('; ')}.` };
}

function snapshot(model: tf.LayersModel): Map<string, Float32Array | Int32Array | Uint8Array | undefined> {
  const values = new Map<string, Float32Array | Int32Array | Uint8Array | undefined>();
  for (const layer of model.layers) {
    layer.weights.forEach((weight, i) => {
      let data: Float32Array | Int32Array | Uint8Array | undefined;
      try {
        data = weight.read().dataSync<'float32' | 'int32' | 'bool'>().slice();
      } catch {
        data = undefined; // disposed
      }
      values.set(`${layer.name}/${i}`, data);
    });
  }
  return values;
}

function same(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
