import * as tf from '@tensorflow/tfjs';
import { disposeModel } from '@graft/core';
import { copyModel, inputList, type ModelInputs, modelFeed, weightLabel } from './model-tensors.js';

/** Options of {@link checkLiveness}. */
export interface LivenessOptions {
  /** Seed of the random loss coefficients. Default 1. */
  readonly seed?: number;
  /**
   * Plain SGD learning rate. Default 0.01: large enough for every move to show in float32, small enough that the
   * first step does not push the layers before the insertion so far that a relu branch behind them goes dead.
   */
  readonly learningRate?: number;
}

/** What {@link checkLiveness} found. */
export interface LivenessResult {
  /** Some added weight moved at step 1, and every added weight had moved by step 2. */
  readonly ok: boolean;
  /** The trainable weights of the added layers, as `<layer>/<weight>`. */
  readonly addedWeights: readonly string[];
  /** Added weights whose values changed at the first SGD step. */
  readonly movedAfterStep1: readonly string[];
  /** Added weights whose values were still their initial ones after the second step. */
  readonly stillAfterStep2: readonly string[];
  readonly message: string;
}

/**
 * The project's liveness rule (check 2): *some added weight moves at the first optimizer step, and every added
 * weight has moved within two.* A weight behind a zero-initialised layer (a residual branch's first layer, extra
 * units whose outgoing rows are zero) gets no gradient at step 1 and moves at step 2; an insertion where nothing can
 * ever move fails.
 *
 * Takes two plain SGD steps on every trainable weight of a copy of `model` (the model itself is not changed) with a
 * seeded random loss, sum(output ⊙ c) over all outputs with c ~ N(0, 1), on `inputs`, in inference mode, and
 * compares the values of the trainable weights of the layers named in `added` (grow's `added`: layers it inserted,
 * or changed in place when widening).
 */
export async function checkLiveness(
  model: tf.LayersModel,
  added: readonly string[],
  inputs: ModelInputs,
  options: LivenessOptions = {},
): Promise<LivenessResult> {
  const copy = await copyModel(model);
  const optimizer = tf.train.sgd(options.learningRate ?? 0.01);
  const coefficients: tf.Tensor[] = [];
  try {
    const watched: { label: string; variable: tf.LayerVariable }[] = [];
    for (const name of added) {
      const layer = copy.getLayer(name);
      for (const weight of layer.trainableWeights) watched.push({ label: weightLabel(layer, weight), variable: weight });
    }
    const addedWeights = watched.map((w) => w.label);
    if (watched.length === 0) {
      return { ok: false, addedWeights, movedAfterStep1: [], stillAfterStep2: [], message: `Nothing that can learn was added: the layers ${quote(added)} have no trainable weights.` };
    }
    const initial = watched.map((w) => w.variable.read().dataSync().slice());
    const variables = copy.trainableWeights.map((w) => w.read() as tf.Variable);
    const feed = modelFeed(copy, inputList(inputs));
    const seed = options.seed ?? 1;
    const loss = (): tf.Scalar => {
      const out = copy.apply(feed, { training: false }) as tf.Tensor | tf.Tensor[];
      const outputs = Array.isArray(out) ? out : [out];
      if (coefficients.length === 0) outputs.forEach((y, i) => coefficients.push(tf.keep(tf.randomNormal(y.shape, 0, 1, 'float32', seed + i))));
      return tf.addN(outputs.map((y, i) => tf.sum(tf.mul(y, coefficients[i] as tf.Tensor)))) as tf.Scalar;
    };
    const moved = (): string[] => watched.filter((w, i) => changed(w.variable.read().dataSync(), initial[i] as ArrayLike<number>)).map((w) => w.label);
    tf.tidy(() => { optimizer.minimize(loss, false, variables); });
    const movedAfterStep1 = moved();
    tf.tidy(() => { optimizer.minimize(loss, false, variables); });
    const movedAfterStep2 = new Set(moved());
    const stillAfterStep2 = addedWeights.filter((label) => !movedAfterStep2.has(label));
    const ok = movedAfterStep1.length > 0 && stillAfterStep2.length === 0;
    const message = ok
      ? `Every added weight learns: ${quote(movedAfterStep1)} moved at step 1, the rest by step 2.`
      : movedAfterStep1.length === 0
        ? `No added weight moved at the first optimizer step (watched ${quote(addedWeights)}); an insertion that cannot learn is a failure.`
        : `Added weights ${quote(stillAfterStep2)} did not move within two optimizer steps; they can never learn.`;
    return { ok, addedWeights, movedAfterStep1, stillAfterStep2, message };
  } finally {
    tf.dispose(coefficients);
    optimizer.dispose();
    disposeModel(copy);
  }
}

function changed(now: ArrayLike<number>, before: ArrayLike<number>): boolean {
  for (let i = 0; i < now.length; i++) if (now[i] !== before[i]) return true;
  return false;
}

function quote(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.map((n) => `"${n}"`).join(', ');
}
