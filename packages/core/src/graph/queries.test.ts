import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { findSites, grow } from '../grow.js';
import { linearIdentityForTests } from '../test-support/identity-strategy.js';
import { activationOf, carriesIndices, channelsFirstAncestor, consumersOf, getLayer, isModelOutput, isNonNegativeOutput, outputShapeOf, uniqueLayerName } from './queries.js';
import { toGraph } from './to-graph.js';

describe('graph queries', () => {
  it('knows which outputs are provably non-negative', () => {
    const model = getFixture('conv-batchnorm-dropout').build();
    const graph = toGraph(model);
    const verdicts = Object.fromEntries(graph.nodes.map((n) => [n.name, isNonNegativeOutput(graph, n.name)]));
    expect(verdicts).toEqual({
      conv_1_input: false, // raw inputs can be anything
      conv_1: false, // linear activation
      conv_bn: false,
      relu: true, // Activation('relu')
      dropout: true, // passes relu values through
      avg_pool: true,
      flatten: true,
      dense_3: true, // relu
      dense_bn: false, // BatchNormalization shifts values
      dense_5: true, // softmax
    });
    model.dispose();
  });

  it('treats tanh and linear as possibly negative, merges of non-negative values as non-negative', () => {
    const model = getFixture('functional-residual').build();
    const graph = toGraph(model);
    expect(isNonNegativeOutput(graph, 'dense_1')).toBe(true);
    expect(isNonNegativeOutput(graph, 'dense_3')).toBe(false); // tanh
    expect(isNonNegativeOutput(graph, 'add')).toBe(false); // relu + tanh
    expect(activationOf(getLayer(graph, 'dense_5'))).toBe('sigmoid');
    model.dispose();
  });

  it('finds consumers, outputs, shapes and free names', () => {
    const model = getFixture('functional-residual').build();
    const graph = toGraph(model);
    expect(consumersOf(graph, 'dense_1').map((c) => c.layer)).toEqual(['dense_3', 'add', 'dense_5']);
    expect(isModelOutput(graph, 'dense_7')).toBe(true);
    expect(isModelOutput(graph, 'dense_1')).toBe(false);
    expect(outputShapeOf(graph, 'add')).toEqual([null, 8]);
    expect(uniqueLayerName(graph, 'dense_1')).toBe('dense_1_2');
    expect(uniqueLayerName(graph, 'fresh')).toBe('fresh');
    expect(() => getLayer(graph, 'missing')).toThrowError(/No layer named "missing".*Expected one of: input, dense_1/);
    model.dispose();
  });

  it('finds the channels_first layer upstream, through layers without a data_format', () => {
    const input = tf.input({ shape: [2, 8, 8], name: 'in' });
    const first = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', name: 'cf_conv' }).apply(input) as tf.SymbolicTensor;
    const relu = tf.layers.activation({ activation: 'relu', name: 'relu' }).apply(first) as tf.SymbolicTensor;
    const last = tf.layers.conv2d({ filters: 2, kernelSize: 1, dataFormat: 'channelsLast', name: 'cl_conv' }).apply(relu) as tf.SymbolicTensor;
    const merged = tf.layers.add({ name: 'merged' }).apply([relu, first]) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(merged) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: [last, flat] });
    const graph = toGraph(model);
    expect(channelsFirstAncestor(graph, 'cf_conv')).toBe('cf_conv');
    expect(channelsFirstAncestor(graph, 'relu')).toBe('cf_conv');
    expect(channelsFirstAncestor(graph, 'flat')).toBe('cf_conv');
    // A channels_last conv lays its own filters on the last axis, whatever its input's layout: the walk stops there.
    expect(channelsFirstAncestor(graph, 'cl_conv')).toBeUndefined();
    expect(channelsFirstAncestor(graph, 'in')).toBeUndefined();
    expect(channelsFirstAncestor(graph, 'no_such_layer')).toBeUndefined();
    model.dispose();
  });

  it('gives undefined for channels_last models', () => {
    const model = getFixture('conv-same-padding-pooling').build();
    const graph = toGraph(model);
    expect(graph.nodes.map((n) => channelsFirstAncestor(graph, n.name)).every((found) => found === undefined)).toBe(true);
    model.dispose();
  });
});

describe('carriesIndices', () => {
  const textModel = () =>
    tf.sequential({ layers: [tf.layers.embedding({ inputDim: 12, outputDim: 4, inputShape: [6], name: 'emb' }), tf.layers.flatten({ name: 'flat' }), tf.layers.dense({ units: 2, name: 'out' })] });

  it('marks a Sequential token input (float32, read only by an Embedding) and nothing after the Embedding', () => {
    const model = textModel();
    const graph = toGraph(model);
    expect(graph.nodes.filter((n) => carriesIndices(graph, n.name)).map((n) => n.name)).toEqual(['emb_input']);
    model.dispose();
  });

  it('marks an int32 input and reshapes of it, but not float inputs read by value', () => {
    const ids = tf.input({ shape: [6], dtype: 'int32', name: 'ids' });
    const values = tf.input({ shape: [3], name: 'values' });
    const reshaped = tf.layers.reshape({ targetShape: [6], name: 'ids_again' }).apply(ids) as tf.SymbolicTensor;
    const embedded = tf.layers.flatten({ name: 'flat' }).apply(tf.layers.embedding({ inputDim: 12, outputDim: 2, name: 'emb' }).apply(reshaped)) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ name: 'joined' }).apply([embedded, tf.layers.dense({ units: 2, name: 'd' }).apply(values) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [ids, values], outputs: joined });
    const graph = toGraph(model);
    expect(graph.nodes.filter((n) => carriesIndices(graph, n.name)).map((n) => n.name)).toEqual(['ids', 'ids_again']);
    model.dispose();
  });

  it('keeps grow from offering or applying any strategy there, with the reason', async () => {
    const model = textModel();
    const strategy = linearIdentityForTests();
    expect(strategy.findSites(toGraph(model))).toContain('emb_input');
    expect(findSites(model, strategy)).not.toContain('emb_input');
    await expect(grow(model, strategy, { after: 'emb_input' })).rejects.toMatchObject({ code: 'SITE_NOT_OFFERED', message: expect.stringContaining('carries integer indices') as unknown });
    model.dispose();
  });
});
