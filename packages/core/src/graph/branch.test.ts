import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { branchBetween, isBranch } from './branch.js';
import { toGraph } from './to-graph.js';

const call = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(input) as tf.SymbolicTensor;
const dense = (name: string, input: tf.SymbolicTensor): tf.SymbolicTensor => call(tf.layers.dense({ units: 4, name }), input);
const add = (name: string, inputs: tf.SymbolicTensor[]): tf.SymbolicTensor => call(tf.layers.add({ name }), inputs);

/** The model input `input` → Dense `first` → Dense `second`, all of width 4: where the refused branches start. */
function inputAndTwoDense(first: string, second: string): [tf.SymbolicTensor, tf.SymbolicTensor, tf.SymbolicTensor] {
  const input = tf.input({ shape: [4], name: 'input' });
  const firstOut = dense(first, input);
  return [input, firstOut, dense(second, firstOut)];
}

/** x → stream; branch: a (reads stream) → b (reads a and the model input `side`) → sum = stream + b. */
function residualWithSideInput(): tf.LayersModel {
  const input = tf.input({ shape: [4], name: 'input' });
  const side = tf.input({ shape: [4], name: 'side' });
  const stream = dense('stream', input);
  const a = call(tf.layers.dense({ units: 4, name: 'a', activation: 'relu' }), stream);
  const b = add('b', [a, side]);
  const sum = add('sum', [stream, b]);
  return tf.model({ inputs: [input, side], outputs: call(tf.layers.dense({ units: 2, name: 'out' }), sum) });
}

describe('branchBetween', () => {
  it('finds the layers from the stream to the exit, and the model inputs the branch reads', () => {
    const graph = toGraph(residualWithSideInput());
    const found = branchBetween(graph, 'stream', 'b');
    expect(isBranch(found)).toBe(true);
    expect(found).toEqual({ from: 'stream', exit: 'b', layers: ['a', 'b'], modelInputs: ['side'] });
  });

  it('says why when the exit does not depend on the stream', () => {
    const graph = toGraph(residualWithSideInput());
    expect(branchBetween(graph, 'b', 'stream')).toEqual({ reason: '"stream" does not depend on "b"' });
  });

  it('refuses a branch with a second exit', () => {
    const [input, a, b] = inputAndTwoDense('a', 'b');
    const sum = add('sum', [input, b]);
    const graph = toGraph(tf.model({ inputs: input, outputs: [sum, a] }));
    expect(branchBetween(graph, 'input', 'b')).toEqual({ reason: 'layer "a" in it is a model output' });
    const leak = dense('leak', a);
    const graph2 = toGraph(tf.model({ inputs: input, outputs: [sum, leak] }));
    expect(branchBetween(graph2, 'input', 'b')).toEqual({ reason: 'layer "a" in it is also read by "leak" outside the branch (more than one exit)' });
  });

  it('refuses a branch that reads the stream from before `from` (a second path into it)', () => {
    const [input, early, stream] = inputAndTwoDense('early', 'stream');
    const mixed = add('mixed', [stream, early]);
    const sum = add('sum', [stream, mixed]);
    const found = branchBetween(toGraph(tf.model({ inputs: input, outputs: sum })), 'stream', 'mixed');
    expect(isBranch(found)).toBe(false);
    expect((found as { reason: string }).reason).toMatch(/layer "early" in it is also read by "stream" outside the branch/);
  });

  it('refuses a branch holding a shared layer', () => {
    const input = tf.input({ shape: [4], name: 'input' });
    const shared = tf.layers.dense({ units: 4, name: 'shared' });
    const a = call(shared, input);
    const b = call(shared, a);
    const sum = add('sum', [input, b]);
    expect(branchBetween(toGraph(tf.model({ inputs: input, outputs: sum })), 'input', 'shared')).toEqual({ reason: 'layer "shared" in it is called 2 times (a shared layer)' });
  });
});
