import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { fromGraph } from '../graph/from-graph.js';
import { toGraph } from '../graph/to-graph.js';
import { insertAfter } from '../surgery/surgery.js';
import { conv, dense, layerNamer, merge } from './layers.js';

describe('layer builders', () => {
  it('build Dense, Conv1D, Conv2D and merge layers that tfjs rebuilds with the given weights', async () => {
    const input = tf.input({ shape: [5, 3], name: 'seq' });
    const model = tf.model({ inputs: input, outputs: tf.layers.flatten({ name: 'flat' }).apply(input) as tf.SymbolicTensor });
    const graph = toGraph(model);
    const name = layerNamer(graph);
    const kernel1d = Float32Array.from({ length: 3 * 3 * 2 }, (_, i) => i / 10);
    const c1 = conv({ name: name('seq_conv'), input: 'seq', rank: 3, inputWidth: 3, filters: 2, kernelSize: 3, activation: 'relu', kernel: kernel1d });
    const d = dense({ name: name('seq_conv'), input: c1.name, inputWidth: 2, units: 3, kernel: new Float32Array(6).fill(1), bias: Float32Array.of(1, 2, 3) });
    const sum = merge('Add', name('seq_sum'), ['seq', d.name]);
    const grown = await fromGraph(insertAfter(graph, 'seq', [c1, d, sum]));
    expect([c1.name, d.name, sum.name]).toEqual(['seq_conv', 'seq_conv_2', 'seq_sum']);
    expect(grown.getLayer('seq_conv').getClassName()).toBe('Conv1D');
    expect(grown.getLayer('seq_conv').outputShape).toEqual([null, 5, 2]);
    expect(Array.from(grown.getLayer('seq_conv_2').getWeights()[1]!.dataSync())).toEqual([1, 2, 3]);
    expect(grown.outputs[0]!.shape).toEqual([null, 15]);
    [model, grown].forEach((m) => m.dispose());
  });

  it('builds a centred Conv2D whose identity kernel changes nothing', async () => {
    const model = getFixture('conv-same-padding-pooling').build();
    const graph = toGraph(model);
    const kernel = new Float32Array(3 * 3 * 4 * 4);
    for (let c = 0; c < 4; c++) kernel[(4 * 4) * 4 + c * 4 + c] = 1;
    const layer = conv({ name: 'identity', input: 'conv_1', rank: 4, inputWidth: 4, filters: 4, kernelSize: 3, kernel });
    const grown = await fromGraph(insertAfter(graph, 'conv_1', [layer]));
    const x = tf.randomUniform([2, 10, 10, 2], -1, 1, 'float32', 3);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, grown.predict(x) as tf.Tensor))).dataSync()[0]);
    expect(diff).toBe(0);
    [model, grown, x].forEach((t) => t.dispose());
  });
});
