import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelVocabulary, setModelVocabulary } from '@graft/core';
import { loadModel } from '@graft/core/node';
import { CharVocabulary } from '@graft/datasets';
import { gpt } from '@graft/models';
import { makeTempDir, refusalLine, runGraft, snapshot, writeModel } from './test-support/graft-process.js';

let root: string;
const text = 'the cat sat on the mat. the dog sat on the log. a cat and a dog. '.repeat(12);
const vocabulary = CharVocabulary.fromText(text, { minCount: 1 });
const tiny = () => gpt({ vocabSize: vocabulary.size, context: 16, dModel: 8, heads: 2, blocks: 1, seed: 4 });

beforeAll(async () => {
  root = await makeTempDir('train-text');
  await fs.writeFile(path.join(root, 'corpus.txt'), text);
  await fs.writeFile(path.join(root, 'unknown.txt'), `${text}ZZZ`);
  await fs.writeFile(path.join(root, 'short.txt'), 'the cat sat');
  const withVocabulary = tiny();
  setModelVocabulary(withVocabulary, vocabulary.record);
  await writeModel(withVocabulary, path.join(root, 'gpt'));
  await writeModel(tiny(), path.join(root, 'no-vocabulary'));
  const other = gpt({ vocabSize: vocabulary.size + 2, context: 16, dModel: 8, heads: 2, blocks: 1, seed: 4 });
  setModelVocabulary(other, vocabulary.record);
  await writeModel(other, path.join(root, 'other-size'));
  const mlp = tf.sequential({ layers: [tf.layers.dense({ inputShape: [16], units: vocabulary.size, activation: 'softmax', name: 'out' })] });
  setModelVocabulary(mlp, vocabulary.record);
  await writeModel(mlp, path.join(root, 'mlp'));
  // A character LSTM language model: one input of ids, named by its author, no positions or mask.
  const lstm = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: vocabulary.size, outputDim: 8, inputLength: 16, name: 'chars' }),
      tf.layers.lstm({ units: 16, returnSequences: true, name: 'lstm' }),
      tf.layers.dense({ units: vocabulary.size, activation: 'softmax', name: 'next_char' }),
    ],
  });
  setModelVocabulary(lstm, vocabulary.record);
  await writeModel(lstm, path.join(root, 'lstm-lm'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('graft train --data <file.txt>', () => {
  it('trains a GPT on the text with its own vocabulary (language-model task) and keeps the vocabulary', async () => {
    const run = await runGraft(['train', 'gpt/model.json', '--data', 'corpus.txt', '--epochs', '2', '--batch-size', '8', '--lr', '0.01', '--backend', 'cpu', '--seed', '1', '--out', 'trained', '--json'], root);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const { epochs } = JSON.parse(run.stdout) as { epochs: Record<string, number>[] };
    expect(epochs).toHaveLength(2);
    const [first, second] = epochs as [Record<string, number>, Record<string, number>];
    expect(Object.keys(first).filter((k) => k.startsWith('test'))).toEqual(['testLoss', 'testPerplexity']);
    expect(second['testLoss']).toBeLessThan(first['testLoss'] as number);
    expect(first['testPerplexity']).toBeCloseTo(Math.exp(first['testLoss'] as number), 3);
    const saved = await loadModel(path.join(root, 'trained', 'model.json'));
    expect(modelVocabulary(saved)).toEqual(vocabulary.record);
    saved.dispose();

    const evaluated = await runGraft(['evaluate', 'trained', '--data', 'corpus.txt', '--backend', 'cpu', '--json'], root);
    expect(evaluated.code).toBe(0);
    const { loss } = JSON.parse(evaluated.stdout) as { loss: number };
    expect(loss).toBeLessThan(Math.log(vocabulary.size));
  });

  it('trains a language model of another architecture and input naming (a character LSTM reading ids alone)', async () => {
    const run = await runGraft(['train', 'lstm-lm', '--data', 'corpus.txt', '--epochs', '2', '--batch-size', '8', '--lr', '0.01', '--backend', 'cpu', '--seed', '1', '--out', 'lstm-trained', '--json'], root);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const { epochs } = JSON.parse(run.stdout) as { epochs: Record<string, number>[] };
    const [first, second] = epochs as [Record<string, number>, Record<string, number>];
    expect(second['testLoss']).toBeLessThan(first['testLoss'] as number);
  });

  it('says once that characters outside the vocabulary read as unknown', async () => {
    const run = await runGraft(['train', 'gpt', '--data', 'unknown.txt', '--epochs', '1', '--backend', 'cpu', '--out', 'unknown-trained'], root);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/unknown\.txt: 3 of \d+ characters are not in the model's vocabulary/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/^Trained 1 epoch\(s\) on unknown\.txt \(test perplexity [\d.]+\); saved to /);
  });

  it.each([
    ['a model without a vocabulary', ['no-vocabulary', '--data', 'corpus.txt'], /^error: The model has no vocabulary \(userDefinedMetadata\.graft\.vocabulary\); corpus\.txt can only be encoded/],
    ['windows longer than the context', ['gpt', '--data', 'corpus.txt', '--context', '32'], /^error: --context 32: windows of 32 characters are longer than the model's context of 16\. \(INVALID_ARGUMENT\)$/],
    ['windows shorter than the context', ['gpt', '--data', 'corpus.txt', '--context', '8'], /--context 8: the model reads rows of exactly 16 tokens/],
    ['text with no window', ['gpt', '--data', 'short.txt'], /^error: short\.txt has 11 characters; a window of the model's context needs 17/],
    ['a model that reads no ids', ['mlp', '--data', 'corpus.txt'], /^error: The model's inputs are out_input \[16\], none of them ids \[context\] into an Embedding; corpus\.txt needs a language model whose inputs are token ids/],
    ['an output that is not the vocabulary', ['other-size', '--data', 'corpus.txt'], /its vocabulary has \d+ ids, so it needs \[context, \d+\]/],
    ['a missing file', ['gpt', '--data', 'missing.txt'], /^error: --data missing\.txt: no such file\. \(INVALID_ARGUMENT\)$/],
  ])('refuses %s in one line, exit 2, writing nothing', async (_, args, message) => {
    const before = await snapshot(root);
    const run = await runGraft(['train', ...args, '--epochs', '1', '--backend', 'cpu', '--out', 'refused'], root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toMatch(message);
    expect(run.stdout).toBe('');
    expect(await snapshot(root)).toEqual(before);
  });
});
