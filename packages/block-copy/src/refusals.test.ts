import * as tf from '@tensorflow/tfjs';
import { toGraph } from '@graft/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockCopy } from './block-copy.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const call = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

/** input → stream Dense → Add(stream, branch(stream)) → Dense output, with the branch made by `branch`. */
function residualModel(branch: (x: tf.SymbolicTensor) => tf.SymbolicTensor): tf.LayersModel {
  const input = tf.input({ shape: [4], name: 'input' });
  const stream = call(tf.layers.dense({ units: 4, name: 'stream' }), input);
  const sum = call(tf.layers.add({ name: 'sum' }), [stream, branch(stream)]);
  return tf.model({ inputs: input, outputs: call(tf.layers.dense({ units: 2, name: 'out' }), sum) });
}

const reasonAt = (model: tf.LayersModel, layer = 'sum'): string | undefined => blockCopy().explain?.(toGraph(model), layer);

describe('block-copy refuses, with the reason', () => {
  it('a branch whose last weighted layer applies an activation that does not map 0 to 0', () => {
    const model = residualModel((x) => call(tf.layers.dense({ units: 4, name: 'gate', activation: 'sigmoid' }), x));
    expect(reasonAt(model)).toBe('the branch of "sum" cannot be zeroed: its last weighted layer "gate" applies sigmoid, which does not map 0 to 0');
  });

  it('a branch that ends in a layer mapping 0 elsewhere after its last weighted layer', () => {
    const model = residualModel((x) => call(tf.layers.activation({ activation: 'softplus', name: 'soft' }), call(tf.layers.dense({ units: 4, name: 'proj' }), x)));
    expect(reasonAt(model)).toBe('the branch of "sum" cannot be zeroed: "soft" (Activation) after the branch\'s last weighted layer does not map 0 to 0');
  });

  it('a branch whose output reaches the stream through weightless layers only', () => {
    const model = residualModel((x) => call(tf.layers.multiply({ name: 'square' }), [x, call(tf.layers.dense({ units: 4, name: 'proj' }), x)]));
    expect(reasonAt(model)).toMatch(/cannot be zeroed: the branch's output reaches "stream" \(the stream or a model input\) through layers without weights/);
  });

  it('a normalisation without a gain as the last weighted layer', () => {
    const model = residualModel((x) => call(tf.layers.layerNormalization({ name: 'norm', scale: false }), call(tf.layers.dense({ units: 4, name: 'proj' }), x)));
    expect(reasonAt(model)).toBe('the branch of "sum" cannot be zeroed: its last weighted layer "norm" (LayerNormalization) has no gain to zero (scale: false)');
  });

  it('a branch read from outside (two exits), a branch output read twice, and an Add of three tensors', () => {
    const input = tf.input({ shape: [4], name: 'input' });
    const inner = call(tf.layers.dense({ units: 4, name: 'inner' }), input);
    const proj = call(tf.layers.dense({ units: 4, name: 'proj' }), inner);
    const sum = call(tf.layers.add({ name: 'sum' }), [input, proj]);
    const leaky = tf.model({ inputs: input, outputs: call(tf.layers.add({ name: 'three' }), [sum, proj, inner]) });
    expect(reasonAt(leaky)).toBe('the branch from "input" to "proj" is not self-contained: layer "inner" in it is also read by "three" outside the branch (more than one exit)');
    expect(reasonAt(leaky, 'three')).toBe('the Add sums 3 tensors; a residual Add sums two, x and f(x)');
    const twice = tf.model({ inputs: input, outputs: [sum, call(tf.layers.dense({ units: 2, name: 'side' }), proj)] });
    expect(reasonAt(twice)).toBe('the branch output "proj" is also read by "side"');
  });

  it('accepts a branch whose zero passes through relu, dropout and a Concatenate of two zeroed layers', () => {
    const model = residualModel((x) => {
      const a = call(tf.layers.dense({ units: 2, name: 'a' }), x);
      const b = call(tf.layers.dense({ units: 2, name: 'b', activation: 'relu' }), x);
      return call(tf.layers.dropout({ rate: 0.5, name: 'drop' }), call(tf.layers.concatenate({ name: 'both' }), [a, b]));
    });
    expect(reasonAt(model)).toBeUndefined();
  });
});
