import * as tf from '@tensorflow/tfjs';
import { fixtures } from '@graft/fixtures';
import { GraftError, grow, toGraph } from '@graft/core';
import type { ModelGraph } from '@graft/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { widen } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function graphOf(model: tf.LayersModel): ModelGraph {
  const graph = toGraph(model);
  model.dispose();
  return graph;
}

/** A functional model from a chain of layers on one input. */
function chain(inputShape: number[], layers: tf.layers.Layer[]): ModelGraph {
  const input = tf.input({ shape: inputShape, name: 'input' });
  const output = layers.reduce<tf.SymbolicTensor>((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
  return graphOf(tf.model({ inputs: input, outputs: output }));
}

const expectedSites: Record<string, string[]> = {
  'dense-chain-relu': ['dense_1', 'dense_3'],
  'dense-chain-tanh': ['dense_1', 'dense_3'],
  'dense-chain-sigmoid': ['dense_1', 'dense_3'],
  'dense-chain-linear': ['dense_1', 'dense_3'],
  'dense-chain-softmax': [],
  'conv-same-padding-pooling': ['conv_1', 'conv_3'],
  'conv-valid-strides': ['conv_1', 'conv_3'],
  'conv-batchnorm-dropout': ['conv_1', 'dense_3'],
  'functional-residual': [],
  'functional-conv-residual': [],
  'multi-input-multi-output': ['dense_5'],
  'shared-layer': ['dense_3'],
  'mnist-reference': ['conv', 'hidden'],
  'text-classifier-lstm': [],
  'sequence-tagger-gru': ['token_hidden'],
  'conv1d-net': ['conv1d_1', 'conv1d_2', 'conv1d_3'],
  // Its Dense layers feed LayerNormalizations: offered only at a multiple of their width (see below).
  'per-token-mlp-layernorm': [],
  'gpt-block': ['block_0_mlp_hidden'],
  'gpt-1-block-1-head': ['block_0_mlp_hidden'],
  'gpt-1-block-4-heads': ['block_0_mlp_hidden'],
  'gpt-2-blocks-4-heads': ['block_0_mlp_hidden', 'block_1_mlp_hidden'],
  'resnet-blocks': ['block_0_conv_1', 'block_1_conv_1'],
};

describe('widen findSites and explain', () => {
  it('covers every fixture', () => {
    expect(Object.keys(expectedSites).sort()).toEqual(fixtures.map((f) => f.name).sort());
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: offers exactly ${JSON.stringify(expectedSites[fixture.name])}, with a reason for every other layer`, () => {
      const graph = graphOf(fixture.build());
      const strategy = widen();
      const sites = strategy.findSites(graph);
      expect(sites).toEqual(expectedSites[fixture.name]);
      for (const node of graph.nodes) {
        const reason = strategy.explain!(graph, node.name);
        if (sites.includes(node.name)) expect(reason).toBeUndefined();
        else expect(reason).toMatch(/\w/);
        // apply refuses exactly where findSites does not offer (NOT_EXACT where only the width asked for is the problem).
        if (!sites.includes(node.name)) expect(() => strategy.apply(graph, { after: node.name })).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(SITE_NOT_OFFERED|NOT_EXACT)$/) as unknown }) as Error);
      }
    });
  }

  const reasons: [string, () => ModelGraph, string, RegExp][] = [
    ['an Add merge consumer', () => graphOf(fixtures.find((f) => f.name === 'functional-residual')!.build()), 'dense_3', /"add" \(Add\) merges it/],
    ['a Concatenate consumer', () => graphOf(fixtures.find((f) => f.name === 'multi-input-multi-output')!.build()), 'dense_1', /"concat" \(Concatenate\) merges it/],
    ['a model output layer', () => graphOf(fixtures.find((f) => f.name === 'mnist-reference')!.build()), 'output', /model output/],
    ['a non-Dense/Conv2D site', () => graphOf(fixtures.find((f) => f.name === 'mnist-reference')!.build()), 'flatten', /it is a Flatten; widen widens Dense, Conv1D and Conv2D/],
    ['a shared layer', () => graphOf(fixtures.find((f) => f.name === 'shared-layer')!.build()), 'dense_1', /layer is called at 2 sites; widen needs a layer called once/],
    ['a softmax unit activation', () => graphOf(fixtures.find((f) => f.name === 'dense-chain-softmax')!.build()), 'dense_1', /applies "softmax", which mixes units/],
    ['a Reshape on the path', () => chain([6], [tf.layers.dense({ units: 4, name: 'd' }), tf.layers.reshape({ targetShape: [2, 2], name: 'r' }), tf.layers.flatten({ name: 'f' }), tf.layers.dense({ units: 2, name: 'out' })]), 'd', /"r" \(Reshape\) reads it/],
    ['a pass-through layer that is a model output', () => chain([6], [tf.layers.dense({ units: 4, name: 'd' }), tf.layers.activation({ activation: 'relu', name: 'a' })]), 'd', /"a" \(Activation\) passes the widened values to a model output/],
    ['a Softmax layer on the path', () => chain([6], [tf.layers.dense({ units: 4, name: 'd' }), tf.layers.softmax({ name: 's' }), tf.layers.dense({ units: 2, name: 'out' })]), 'd', /"s" \(Softmax\) reads it/],
    ['a Dense site on a rank-4 input', () => chain([2, 3, 5], [tf.layers.dense({ units: 4, name: 'd' }), tf.layers.flatten({ name: 'f' }), tf.layers.dense({ units: 2, name: 'out' })]), 'd', /output has rank 4; widen needs rank 2 \[batch, features\] or rank 3 \[batch, steps, features\]/],
    ['uneven copies before a LayerNormalization', () => graphOf(fixtures.find((f) => f.name === 'per-token-mlp-layernorm')!.build()), 'token_dense_1', /a LayerNormalization reads the 8 units; copying some of them more often than others would change its mean and variance — widen to a multiple of 8 \(e\.g\. 16\)/],
    ['a Dense consumer of a rank-4 tensor', () => chain([5, 5, 1], [tf.layers.conv2d({ filters: 3, kernelSize: 3, name: 'c' }), tf.layers.dense({ units: 2, name: 'd' }), tf.layers.flatten({ name: 'f' }), tf.layers.dense({ units: 2, name: 'out' })]), 'c', /"d" \(Dense\) reads a rank-4 tensor/],
    ['a DepthwiseConv2D consumer', () => chain([5, 5, 1], [tf.layers.conv2d({ filters: 3, kernelSize: 3, name: 'c' }), tf.layers.depthwiseConv2d({ kernelSize: 3, name: 'dw' }), tf.layers.flatten({ name: 'f' }), tf.layers.dense({ units: 2, name: 'out' })]), 'c', /"dw" \(DepthwiseConv2D\) reads it/],
    ['channels_first', () => chain([1, 5, 5], [tf.layers.conv2d({ filters: 3, kernelSize: 3, dataFormat: 'channelsFirst', name: 'c' }), tf.layers.flatten({ name: 'f' }), tf.layers.dense({ units: 2, name: 'out' })]), 'c', /"c" uses data_format channels_first; widen supports channels_last only/],
  ];
  for (const [what, build, layer, reason] of reasons) {
    it(`refuses ${what}, saying why`, () => {
      const graph = build();
      expect(widen().findSites(graph)).not.toContain(layer);
      expect(widen().explain!(graph, layer)).toMatch(reason);
    });
  }

  it('grow reports the reason as SITE_NOT_OFFERED', async () => {
    const model = fixtures.find((f) => f.name === 'functional-residual')!.build();
    const error = await grow(model, widen(), { after: 'dense_1' }).catch((e: unknown) => e);
    model.dispose();
    expect(error).toBeInstanceOf(GraftError);
    expect(error).toMatchObject({ code: 'SITE_NOT_OFFERED' });
    expect((error as Error).message).toMatch(/does not apply after layer "dense_1": .*merges it/);
  });

  it('widens before a LayerNormalization to a multiple of its width, copying every unit equally', () => {
    const graph = graphOf(fixtures.find((f) => f.name === 'per-token-mlp-layernorm')!.build());
    expect(widen({ factor: 2 }).findSites(graph)).toEqual(['token_dense_1', 'token_dense_2']);
    const grown = widen({ units: 24 }).apply(graph, { after: 'token_dense_1' }).graph;
    const norm = grown.nodes.find((n) => n.name === 'layer_norm_1')!;
    const gamma = Array.from(norm.weights[0]!.values);
    expect(gamma).toHaveLength(24);
    expect(gamma.slice(8, 16)).toEqual(gamma.slice(0, 8));
    expect(gamma.slice(16)).toEqual(gamma.slice(0, 8));
  });
});
