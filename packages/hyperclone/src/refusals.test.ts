import * as tf from '@tensorflow/tfjs';
import { grow, toGraph } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { hyperclone } from './hyperclone.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const call = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
const reasonFor = (model: tf.LayersModel): string | undefined => hyperclone().explain?.(toGraph(model), '*');

describe('hyperclone refuses, naming the layer and its class', () => {
  it('a layer with no exact rule that would read cloned features (an LSTM)', async () => {
    const model = getFixture('text-classifier-lstm').build();
    expect(reasonFor(model)).toBe('layer "lstm" (LSTM) reads cloned features, and hyperclone has no exact rule for this class');
    await expect(grow(model, hyperclone(), { after: '*' })).rejects.toThrow('Strategy "hyperclone" does not apply to this model: layer "lstm" (LSTM) reads cloned features');
    model.dispose();
  });

  it('a shared layer, and a model with nothing to clone', () => {
    expect(reasonFor(getFixture('shared-layer').build())).toMatch(/layer "dense_1" \(Dense\) is shared \(called 2 times\)/);
    expect(reasonFor(getFixture('dense-chain-softmax').build())).toMatch(/^no hidden tensor can be cloned/);
  });

  it('a reshape of cloned features, and a softmax over them', () => {
    const input = tf.input({ shape: [4], name: 'input' });
    const hidden = call(tf.layers.dense({ units: 6, name: 'hidden' }), input);
    const reshaped = tf.model({ inputs: input, outputs: call(tf.layers.dense({ units: 2, name: 'out' }), call(tf.layers.flatten({ name: 'flat' }), call(tf.layers.reshape({ targetShape: [3, 2], name: 'reshape' }), hidden))) });
    expect(reasonFor(reshaped)).toBe('layer "reshape" (Reshape) reads cloned features, and hyperclone has no exact rule for this class');
    const normalised = call(tf.layers.softmax({ name: 'probs' }), hidden);
    const softmaxed = tf.model({ inputs: input, outputs: call(tf.layers.dense({ units: 2, name: 'out2' }), call(tf.layers.dense({ units: 3, name: 'mix' }), normalised)) });
    // The softmax's features must stay the source's, so its input is not cloned: `hidden` keeps 6 units, `mix` is cloned.
    expect(reasonFor(softmaxed)).toBeUndefined();
  });

  it('a Dot of a cloned query produced by a layer that something else reads too', () => {
    const tokens = tf.input({ shape: [3, 4], name: 'x' });
    const q = call(tf.layers.dense({ units: 2, name: 'q' }), tokens);
    const k = call(tf.layers.dense({ units: 2, name: 'k' }), tokens);
    const scores = call(tf.layers.dot({ axes: [2, 2], name: 'scores' }), [q, k]);
    const side = call(tf.layers.dense({ units: 3, name: 'side' }), q);
    const sum = call(tf.layers.add({ name: 'sum' }), [scores, side]);
    expect(reasonFor(tf.model({ inputs: tokens, outputs: call(tf.layers.dense({ units: 2, name: 'out' }), sum) }))).toBe(
      'layer "scores" (Dot) contracts two cloned tensors, and its first input "q" is not a Dense read by it alone, which could take the 1/2 query scale',
    );
  });
});
