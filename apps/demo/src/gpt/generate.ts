import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '@graft/core';
import type { CharVocabulary } from '@graft/datasets';
import { gptInputs } from '@graft/models';
import { endsInSoftmax, orderedInputs } from './lm-train.js';

/** Options of {@link generateText}. */
export interface GenerateOptions {
  /** Characters to add after the prompt. */
  readonly length: number;
  /** 0 picks the most likely character (greedy); above 0, samples from softmax(logits / temperature). */
  readonly temperature: number;
  /** Seed of the sampling: the same seed and model give the same text. */
  readonly seed: number;
}

/**
 * Continues `prompt` one character at a time with a GPT of `@graft/models` (fixed context `T`): the model reads the
 * last `T` characters, placed from position 0 and padded after them (a causal model's prediction at the last real
 * position never sees the padding), and the next character is drawn from its prediction there.
 *
 * @returns the prompt and what the model added.
 */
export async function generateText(model: tf.LayersModel, vocabulary: CharVocabulary, prompt: string, options: GenerateOptions): Promise<string> {
  const context = model.inputs[0]?.shape[1] as number;
  const random = seededRandom(options.seed);
  const ids = Array.from(vocabulary.encode(prompt));
  const softmax = endsInSoftmax(model);
  for (let n = 0; n < options.length; n++) {
    const window = ids.slice(-context);
    const row = [...window, ...new Array<number>(context - window.length).fill(0)];
    const inputs = gptInputs([row]);
    const probabilities = tf.tidy(() => {
      const output = model.predict(orderedInputs(model, inputs)) as tf.Tensor;
      const last = output.slice([0, window.length - 1, 0], [1, 1, -1]).reshape([-1]);
      if (options.temperature === 0) return softmax ? last : tf.softmax(last);
      const logits = softmax ? tf.log(tf.clipByValue(last, 1e-12, 1)) : last;
      return tf.softmax(tf.div(logits, options.temperature));
    });
    tf.dispose(inputs);
    const p = (await probabilities.data()) as Float32Array;
    probabilities.dispose();
    ids.push(options.temperature === 0 ? argmax(p) : draw(p, random()));
  }
  return vocabulary.decode(ids);
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

function draw(probabilities: Float32Array, u: number): number {
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i] as number;
    if (u < cumulative) return i;
  }
  return probabilities.length - 1;
}
