import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { fromGraph } from '../graph/from-graph.js';
import { toGraph } from '../graph/to-graph.js';
import { insertAfter, replaceLayer, weightValue } from './surgery.js';

describe('surgery primitives', () => {
  it('insertAfter does not change the graph it was given', () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    const snapshot = JSON.stringify(graph.nodes.map((n) => [n.name, n.inbound]));
    const next = insertAfter(graph, 'dense_1', [{ name: 'extra', className: 'Dropout', config: { rate: 0 }, inbound: [[{ layer: 'dense_1', node: 0, tensor: 0 }]] }]);
    expect(JSON.stringify(graph.nodes.map((n) => [n.name, n.inbound]))).toBe(snapshot);
    expect(next.nodes.map((n) => n.name)).toEqual(['dense_1_input', 'dense_1', 'extra', 'dense_3', 'dense_5']);
    model.dispose();
  });

  it('makes a Sequential graph functional when a branch appears', async () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    const site = { layer: 'dense_1', node: 0, tensor: 0 };
    const next = insertAfter(graph, 'dense_1', [
      { name: 'branch', className: 'Dense', config: { units: 8, activation: 'linear' }, inbound: [[site]], weights: [weightValue('kernel', [8, 8], new Float32Array(64)), weightValue('bias', [8], new Float32Array(8))] },
      { name: 'merge', className: 'Add', config: {}, inbound: [[site, { layer: 'branch', node: 0, tensor: 0 }]] },
    ]);
    const rebuilt = await fromGraph(next);
    expect(rebuilt.getClassName()).not.toBe('Sequential');
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 3);
    const a = model.predict(x) as tf.Tensor;
    const b = rebuilt.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    [model, rebuilt].forEach((m) => m.dispose());
    [x, a, b].forEach((t) => t.dispose());
  });

  it('insertAfter refuses a clashing name', () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    expect(() => insertAfter(graph, 'dense_1', [{ name: 'dense_3', className: 'Dropout', config: { rate: 0 }, inbound: [[{ layer: 'dense_1', node: 0, tensor: 0 }]] }])).toThrowError(
      expect.objectContaining({ code: 'DUPLICATE_LAYER' }) as unknown,
    );
    model.dispose();
  });

  it('replaceLayer changes config and weights, keeps connections', async () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    const zeros = [weightValue('kernel', [8, 4], new Float32Array(32)), weightValue('bias', [4], new Float32Array(4))];
    const next = replaceLayer(graph, 'dense_5', { weights: zeros });
    const rebuilt = await fromGraph(next);
    const x = tf.ones([2, 6]);
    const y = rebuilt.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(new Array(8).fill(0.25)); // softmax of zeros
    [model, rebuilt].forEach((m) => m.dispose());
    [x, y].forEach((t) => t.dispose());
  });

  it('weightValue checks the number of values', () => {
    expect(() => weightValue('kernel', [2, 3], new Float32Array(5))).toThrowError(/needs 6 values, got 5/);
  });
});
