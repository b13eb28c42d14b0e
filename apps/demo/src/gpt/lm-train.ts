import * as tf from '@tensorflow/tfjs';
import type { ModelInputs, TextWindows } from '@graft/datasets';
import { stepProgress } from './step-progress.js';

/** Test loss after `step` training steps, with the training FLOPs spent up to then. */
export interface LossPoint {
  readonly step: number;
  /** Mean per-character cross-entropy on the test windows, in nats. */
  readonly testLoss: number;
  /** Training FLOPs spent so far, those before this run (`flopsBefore`) included. */
  readonly flops: number;
}

/** Options of {@link trainLanguageModel}. */
export interface LanguageModelTraining {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Seed of the order of the training windows. */
  readonly seed: number;
  /** Evaluate on `test` every this many steps, and after the last. */
  readonly evalEvery: number;
  readonly test: TextWindows;
  /** Training FLOPs of one step of this model. */
  readonly flopsPerStep: number;
  /** FLOPs spent before this run (the base model's training, for a grown model). Default 0. */
  readonly flopsBefore?: number;
  /** Also measure the model before its first step (step 0). Default false. */
  readonly evaluateAtStart?: boolean;
  /** Names the run in progress lines. */
  readonly label: string;
  readonly isTTY?: boolean;
  readonly write?: (text: string) => void;
}

/**
 * Trains a next-character model (outputs `[batch, context, vocabulary]`, probabilities when its last layer ends in
 * softmax, logits otherwise) with Adam on per-character cross-entropy for `steps` steps of shuffled windows (a new
 * seeded order each pass), and returns the test loss every `evalEvery` steps with the FLOPs spent.
 */
export async function trainLanguageModel(model: tf.LayersModel, train: TextWindows, options: LanguageModelTraining): Promise<LossPoint[]> {
  const optimizer = tf.train.adam(options.learningRate);
  const progress = stepProgress({ label: options.label, steps: options.steps, ...pick(options) });
  const points: LossPoint[] = [];
  const flopsAt = (step: number): number => (options.flopsBefore ?? 0) + step * options.flopsPerStep;
  const measure = async (step: number): Promise<void> => {
    const testLoss = await languageModelLoss(model, options.test, options.batchSize * 2);
    points.push({ step, testLoss, flops: flopsAt(step) });
    progress.evaluated(step, testLoss);
  };
  try {
    if (options.evaluateAtStart === true) await measure(0);
    let step = 0;
    for (let pass = 0; step < options.steps; pass++) {
      for (const batch of train.batches(options.batchSize, { shuffle: true, seed: options.seed + pass })) {
        if (step >= options.steps) {
          tf.dispose([...tensorsOf(batch.xs), batch.ys]);
          break;
        }
        const loss = optimizer.minimize(() => tokenCrossEntropy(model, batch.xs, batch.ys, true), true) as tf.Scalar;
        tf.dispose([...tensorsOf(batch.xs), batch.ys]);
        step++;
        const value = (await loss.data())[0] as number;
        loss.dispose();
        progress.step(step, value);
        if (step % options.evalEvery === 0 || step === options.steps) await measure(step);
      }
    }
  } finally {
    progress.finish();
    optimizer.dispose();
  }
  return points;
}

/** Mean per-character cross-entropy (nats) of `model` over every window of `windows`, in inference mode. */
export async function languageModelLoss(model: tf.LayersModel, windows: TextWindows, batchSize = 64): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const batch of windows.batches(batchSize)) {
    const loss = tf.tidy(() => tokenCrossEntropy(model, batch.xs, batch.ys, false));
    tf.dispose([...tensorsOf(batch.xs), batch.ys]);
    sum += ((await loss.data())[0] as number) * batch.size;
    count += batch.size;
    loss.dispose();
  }
  return count === 0 ? NaN : sum / count;
}

/** Per-character cross-entropy of the model's next-character prediction, averaged over batch and positions. */
export function tokenCrossEntropy(model: tf.LayersModel, xs: ModelInputs, ys: tf.Tensor, training: boolean): tf.Scalar {
  return tf.tidy(() => {
    const output = model.apply(orderedInputs(model, xs), { training }) as tf.Tensor;
    const vocabulary = output.shape.at(-1) as number;
    const flat = output.reshape([-1, vocabulary]);
    const logProbabilities = endsInSoftmax(model) ? tf.log(tf.clipByValue(flat, 1e-7, 1)) : tf.logSoftmax(flat);
    const targets = tf.oneHot(ys.reshape([-1]).toInt(), vocabulary);
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbabilities), -1))) as tf.Scalar;
  });
}

/** The inputs in `model.inputNames` order, whichever form they come in. */
export function orderedInputs(model: tf.LayersModel, xs: ModelInputs): tf.Tensor | tf.Tensor[] {
  if (xs instanceof tf.Tensor || Array.isArray(xs)) return xs;
  return model.inputNames.map((name) => {
    const tensor = xs[name];
    if (tensor === undefined) throw new Error(`No input named "${name}" in the batch; it has ${Object.keys(xs).join(', ')}.`);
    return tensor;
  });
}

/** True when the model's output layer ends in softmax (it outputs probabilities, not logits). */
export function endsInSoftmax(model: tf.LayersModel): boolean {
  const last = model.outputLayers[0] ?? model.layers.at(-1);
  if (last === undefined) return false;
  const config = last.getConfig() as { activation?: string };
  return last.getClassName() === 'Softmax' || config.activation === 'softmax';
}

/** Every tensor of a batch's inputs, to dispose them. */
export function tensorsOf(xs: ModelInputs): tf.Tensor[] {
  return xs instanceof tf.Tensor ? [xs] : Array.isArray(xs) ? xs : Object.values(xs);
}

function pick(options: LanguageModelTraining): { isTTY?: boolean; write?: (text: string) => void } {
  return { ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }), ...(options.write === undefined ? {} : { write: options.write }) };
}
