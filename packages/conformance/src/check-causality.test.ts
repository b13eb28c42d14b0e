import * as tf from '@tensorflow/tfjs';
import { disposeModel } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCausality, type CausalFeed } from './check-causality.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tokenRows = (rows: number, length: number, vocabulary: number): tf.Tensor2D => tf.randomUniformInt<tf.Rank.R2>([rows, length], 0, vocabulary, 5);

describe.each(['gpt-block', 'sequence-tagger-gru', 'per-token-mlp-layernorm'])('checkCausality on the causal fixture %s', (name) => {
  const fixture = getFixture(name);
  const feed = fixture.tokens!;
  let model: tf.LayersModel;
  let tokens: tf.Tensor2D;
  beforeAll(() => {
    model = fixture.build();
    tokens = tokenRows(3, feed.length, feed.vocabulary);
  });
  afterAll(() => {
    disposeModel(model);
    tokens.dispose();
  });

  it('passes, exactly, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const result = checkCausality(model, tokens, feed);
    expect(result.message).toMatch(/^Causal: /);
    expect(result).toMatchObject({ ok: true, maxEarlierDiff: 0 });
    expect(result.maxLaterDiff).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('checkCausality catches models that are not causal', () => {
  it('a GPT fed a mask of zeros (every position attends to every other)', () => {
    const fixture = getFixture('gpt-block');
    const model = fixture.build();
    const feed: CausalFeed = {
      vocabulary: fixture.tokens!.vocabulary,
      inputsFor: (tokens) => {
        const [ids, positions, mask] = fixture.tokens!.inputsFor(tokens) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const open = tf.zerosLike(mask);
        mask.dispose();
        return [ids, positions, open];
      },
    };
    const tokens = tokenRows(2, 6, 12);
    const result = checkCausality(model, tokens, feed);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Not causal: changing the token at position \d+ moved outputs at earlier positions/);
    expect(result.maxEarlierDiff).toBeGreaterThan(0);
    tokens.dispose();
    disposeModel(model);
  });

  it('a bidirectional tagger (later tokens reach earlier positions through the backward pass)', () => {
    const ids = tf.input({ shape: [5], dtype: 'int32' });
    const embedded = tf.layers.embedding({ inputDim: 8, outputDim: 4 }).apply(ids) as tf.SymbolicTensor;
    const both = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) }).apply(embedded) as tf.SymbolicTensor;
    const model = tf.model({ inputs: ids, outputs: tf.layers.dense({ units: 2 }).apply(both) as tf.SymbolicTensor });
    const tokens = tokenRows(2, 5, 8);
    expect(checkCausality(model, tokens, { vocabulary: 8, inputsFor: (t) => [tf.clone(t)] }).ok).toBe(false);
    tokens.dispose();
    disposeModel(model);
  });

  it('refuses outputs with no time axis, and a model that ignores its tokens', () => {
    const classifier = getFixture('text-classifier-lstm');
    const model = classifier.build();
    const tokens = tokenRows(2, 7, 16);
    expect(checkCausality(model, tokens, classifier.tokens!).message).toMatch(/^Output 0 has shape \[2, 3\]; a causality check needs \[2, 7, …\]/);
    disposeModel(model);

    const blind = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 16, outputDim: 2, inputShape: [7], embeddingsInitializer: 'zeros' })] });
    const result = checkCausality(blind, tokens, classifier.tokens!);
    expect(result).toMatchObject({ ok: false, maxLaterDiff: 0 });
    expect(result.message).toMatch(/^Changing tokens moved no output at all/);
    tokens.dispose();
    disposeModel(blind);
  });
});
