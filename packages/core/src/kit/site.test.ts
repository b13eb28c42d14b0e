import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { toGraph } from '../graph/to-graph.js';
import type { ModelGraph } from '../graph/types.js';
import { describeSite, rankPhrase } from './site.js';

function graphOf(build: () => tf.LayersModel): ModelGraph {
  const model = build();
  const graph = toGraph(model);
  model.dispose();
  return graph;
}

const reasonOf = (outcome: ReturnType<typeof describeSite>): string | undefined => (outcome.ok ? undefined : outcome.reason);

/** Token ids → Embedding → per-token Dense → Flatten → Dense: the integer path must never be a site. */
function textModel(): tf.LayersModel {
  const ids = tf.input({ shape: [5], dtype: 'int32', name: 'ids' });
  const reshaped = tf.layers.reshape({ targetShape: [5], name: 'ids_reshaped' }).apply(ids) as tf.SymbolicTensor;
  const embedded = tf.layers.embedding({ inputDim: 10, outputDim: 4, name: 'emb' }).apply(reshaped) as tf.SymbolicTensor;
  const perToken = tf.layers.dense({ units: 3, activation: 'relu', name: 'per_token' }).apply(embedded) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(perToken) as tf.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: tf.layers.dense({ units: 2, name: 'out' }).apply(flat) as tf.SymbolicTensor });
}

describe('describeSite', () => {
  it('describes a rank-2 site: width, non-negativity, producer, consumers', () => {
    const graph = graphOf(() => getFixture('functional-residual').build());
    const site = describeSite(graph, 'dense_1', { strategy: 'demo', ranks: [2] });
    expect(site).toMatchObject({ ok: true, name: 'dense_1', rank: 2, width: 8, dtype: 'float32', nonNegative: true, layout: 'features', producer: 'relu', isModelOutput: false, isInput: false });
    expect(site.ok && site.consumers.map((c) => c.layer)).toEqual(['dense_3', 'add', 'dense_5']);
    expect(describeSite(graph, 'dense_3', { strategy: 'demo', ranks: [2] })).toMatchObject({ nonNegative: false, producer: 'tanh' });
    expect(describeSite(graph, 'dense_7', { strategy: 'demo', ranks: [2] })).toMatchObject({ isModelOutput: true });
  });

  it('refuses with one message per problem, naming the strategy', () => {
    const graph = graphOf(() => getFixture('mnist-reference').build());
    expect(reasonOf(describeSite(graph, 'nope', { strategy: 'demo', ranks: [2] }))).toBe('there is no layer "nope"');
    expect(reasonOf(describeSite(graph, 'conv', { strategy: 'demo', ranks: [2] }))).toBe('output has rank 4; demo needs rank 2 [batch, features]');
    expect(reasonOf(describeSite(graph, 'hidden', { strategy: 'demo', ranks: [3, 4] }))).toBe('output has rank 2; demo needs rank 3 [batch, steps, features] or rank 4 [batch, height, width, channels]');
    expect(reasonOf(describeSite(graph, 'conv_input', { strategy: 'demo', ranks: [4], inputs: false }))).toBe('"conv_input" is a model input; demo grows after a layer');
    expect(describeSite(graph, 'conv_input', { strategy: 'demo', ranks: [4] })).toMatchObject({ ok: true, isInput: true, layout: 'channels_last', width: 1 });
    const shared = graphOf(() => getFixture('shared-layer').build());
    expect(reasonOf(describeSite(shared, 'dense_1', { strategy: 'demo', ranks: [2] }))).toBe('layer is called at 2 sites; demo needs a layer called once');
  });

  it('refuses channels_first in one place, naming the layer responsible, and not past a channels_last layer', () => {
    const graph = graphOf(() => {
      const input = tf.input({ shape: [3, 6, 6], name: 'input' });
      const first = tf.layers.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst', name: 'cf' }).apply(input) as tf.SymbolicTensor;
      const relu = tf.layers.activation({ activation: 'relu', name: 'relu' }).apply(first) as tf.SymbolicTensor;
      const permuted = tf.layers.permute({ dims: [2, 3, 1], name: 'to_last' }).apply(relu) as tf.SymbolicTensor;
      const last = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'cl' }).apply(permuted) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: last });
    });
    expect(reasonOf(describeSite(graph, 'relu', { strategy: 'demo', ranks: [4] }))).toBe('"cf" uses data_format channels_first; demo supports channels_last only');
    expect(describeSite(graph, 'cl', { strategy: 'demo', ranks: [4] }).ok).toBe(true);
  });

  it('never offers an integer or index path, and offers the embedded floats', () => {
    const graph = graphOf(textModel);
    const requirements = { strategy: 'demo', ranks: [2, 3] };
    expect(reasonOf(describeSite(graph, 'ids', requirements))).toBe('output of "ids" has dtype int32 (from input "ids"); demo grows only where values are float32, never on an integer or index path');
    expect(reasonOf(describeSite(graph, 'ids_reshaped', requirements))).toMatch(/^output of "ids_reshaped" has dtype int32 \(from input "ids"\)/);
    expect(describeSite(graph, 'emb', requirements)).toMatchObject({ ok: true, rank: 3, width: 4 });
    expect(describeSite(graph, 'per_token', requirements)).toMatchObject({ ok: true, rank: 3, width: 3, nonNegative: true });
  });

  it('refuses a float input read as indices', () => {
    const graph = graphOf(() => {
      const ids = tf.input({ shape: [4], name: 'ids' });
      const embedded = tf.layers.embedding({ inputDim: 10, outputDim: 2, name: 'emb' }).apply(ids) as tf.SymbolicTensor;
      return tf.model({ inputs: ids, outputs: tf.layers.flatten({ name: 'flat' }).apply(embedded) as tf.SymbolicTensor });
    });
    expect(reasonOf(describeSite(graph, 'ids', { strategy: 'demo', ranks: [2] }))).toMatch(/^output of "ids" is read as indices by Embedding "emb"; demo grows only where values are float32/);
  });

  it('words ranks it has no picture for plainly', () => {
    expect(rankPhrase([5])).toBe('rank 5');
  });
});
