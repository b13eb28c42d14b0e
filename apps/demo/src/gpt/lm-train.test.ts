import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharVocabulary, TextWindows } from '@graft/datasets';
import { gpt, gptInputs } from '@graft/models';
import { evaluate } from '@graft/train';
import { generateText } from './generate.js';
import { languageModelLoss, tokenCrossEntropy, trainLanguageModel } from './lm-train.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(8);
const vocabulary = CharVocabulary.fromText(text, { minCount: 1 });
const context = 8;
const windows = new TextWindows(vocabulary.encode(text), context, gptInputs);
const tiny = (seed = 1): tf.LayersModel => gpt({ vocabSize: vocabulary.size, context, dModel: 8, heads: 2, blocks: 1, seed });

describe('language-model training', () => {
  it('measures the same per-character cross-entropy as @graft/train\'s language-model task', async () => {
    const model = tiny();
    const ours = await languageModelLoss(model, windows, 7);
    const theirs = await evaluate(model, windows, { task: 'language-model', batchSize: 16 });
    expect(ours).toBeCloseTo(theirs.loss, 5);
    // An untrained model is close to uniform over the vocabulary.
    expect(Math.abs(ours - Math.log(vocabulary.size))).toBeLessThan(0.1);
    model.dispose();
  });

  it('lowers the test loss, reports FLOPs from flopsBefore on, and leaks no tensor', async () => {
    const model = tiny();
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const points = await trainLanguageModel(model, windows, {
      steps: 12, batchSize: 8, learningRate: 1e-2, seed: 3, evalEvery: 5, test: windows.spread(8), flopsPerStep: 100, flopsBefore: 1_000,
      evaluateAtStart: true, label: 'tiny', isTTY: false, write: (line) => lines.push(line),
    });
    expect(points.map((p) => [p.step, p.flops])).toEqual([[0, 1_000], [5, 1_500], [10, 2_000], [12, 2_200]]);
    expect((points.at(-1)?.testLoss as number) < (points[0]?.testLoss as number) - 0.3).toBe(true);
    expect(lines.filter((line) => line.includes('test loss'))).toHaveLength(4);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('trains identically for the same seed', async () => {
    const losses = async (): Promise<number[]> => {
      const model = tiny(5);
      const points = await trainLanguageModel(model, windows, { steps: 4, batchSize: 4, learningRate: 1e-2, seed: 9, evalEvery: 2, test: windows.spread(4), flopsPerStep: 1, label: 'x', write: () => undefined });
      model.dispose();
      return points.map((p) => p.testLoss);
    };
    expect(await losses()).toEqual(await losses());
  });

  it('takes named inputs as well as the ordered array', () => {
    const model = tiny();
    const [tokens, positions, mask] = gptInputs([[1, 2, 3, 4, 5, 6, 7, 1]]) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const ys = tf.tensor2d([[2, 3, 4, 5, 6, 7, 1, 2]], [1, 8], 'int32');
    const ordered = tokenCrossEntropy(model, [tokens, positions, mask], ys, false);
    const named = tokenCrossEntropy(model, { causal_mask: mask, tokens, positions }, ys, false);
    expect(named.dataSync()[0]).toBe(ordered.dataSync()[0]);
    tf.dispose([tokens, positions, mask, ys, ordered, named]);
    model.dispose();
  });
});

describe('generateText', () => {
  it('continues the prompt: the same seed gives the same text, greedy is reproducible too', async () => {
    const model = tiny();
    const sample = (seed: number, temperature = 1): Promise<string> => generateText(model, vocabulary, 'the ', { length: 12, temperature, seed });
    const first = await sample(1);
    expect(first.startsWith('the ')).toBe(true);
    expect([...first]).toHaveLength(16);
    expect(await sample(1)).toBe(first);
    expect(await sample(1, 0)).toBe(await sample(2, 0));
    // Longer than the context: the model reads the last `context` characters.
    expect([...(await generateText(model, vocabulary, 'the cat sat on ', { length: 3, temperature: 0, seed: 1 }))]).toHaveLength(18);
    model.dispose();
  });
});
