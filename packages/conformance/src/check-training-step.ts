import * as tf from '@tensorflow/tfjs';
import { disposeModel } from '@graft/core';
import { allFinite, copyModel, inputList, messageOf, type ModelInputs, modelFeed, predictTensors } from './model-tensors.js';

/** What {@link checkTrainingStep} found. */
export interface TrainingStepResult {
  /** The step's loss is finite and the model still predicts finite values after it. */
  readonly ok: boolean;
  readonly loss: number;
  readonly message: string;
}

/**
 * Check 5: compiles a copy of `model` (the model itself is not changed) with SGD and mean squared error against
 * seeded random targets, takes one `trainOnBatch` step in training mode (dropout on, batch norm on batch
 * statistics), and asserts the loss and the predictions after the step are finite.
 */
export async function checkTrainingStep(model: tf.LayersModel, inputs: ModelInputs, options: { readonly seed?: number } = {}): Promise<TrainingStepResult> {
  const copy = await copyModel(model);
  const optimizer = tf.train.sgd(0.01);
  const targets: tf.Tensor[] = [];
  try {
    const feed = modelFeed(copy, inputList(inputs));
    const outputs = tf.tidy(() => predictTensors(copy, inputs));
    outputs.forEach((y, i) => targets.push(tf.randomUniform(y.shape, 0, 1, 'float32', (options.seed ?? 1) + i)));
    tf.dispose(outputs);
    copy.compile({ optimizer, loss: 'meanSquaredError' });
    const result = await copy.trainOnBatch(feed, targets.length === 1 ? (targets[0] as tf.Tensor) : targets);
    const loss = Array.isArray(result) ? (result[0] ?? Number.NaN) : result;
    const after = tf.tidy(() => predictTensors(copy, inputs));
    const finiteAfter = after.every((t) => allFinite(t.dataSync()));
    tf.dispose(after);
    const ok = Number.isFinite(loss) && finiteAfter;
    const message = ok
      ? `One training step: loss ${loss.toPrecision(4)}, predictions finite.`
      : !Number.isFinite(loss)
        ? `One training step gave the loss ${loss}; expected a finite number.`
        : `After one training step (loss ${loss.toPrecision(4)}) the model predicts NaN or infinite values.`;
    return { ok, loss, message };
  } catch (error) {
    return { ok: false, loss: Number.NaN, message: `One training step failed: ${messageOf(error)}` };
  } finally {
    tf.dispose(targets);
    disposeModel(copy);
    optimizer.dispose();
  }
}
