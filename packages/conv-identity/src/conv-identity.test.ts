import * as tf from '@tensorflow/tfjs';
import { findSites, grow, toGraph, type StrategyOptions, type SurgeryStrategy } from '@graft/core';
import { expectRefusal, growFixture, maxPredictionDiff, useFixture } from '@graft/conformance/testing';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { convIdentity } from './index.js';

/** Grows `fixture` after `after` and checks the predictions are unchanged; returns the new layer's config. */
async function growExactly(fixtureName: string, after: string, options: StrategyOptions = {}): Promise<Record<string, unknown>> {
  const { source, grown, added, inputs, dispose } = await growFixture(fixtureName, convIdentity(), after, { samples: 4, seed: 2, options });
  try {
    expect(added).toEqual([`${after}_identity`]);
    expect(maxPredictionDiff(source, grown, inputs)).toBe(0);
    return grown.getLayer(added[0]!).getConfig();
  } finally {
    dispose();
  }
}

describe('conv-identity on the MNIST reference model', () => {
  const mnist = useFixture('mnist-reference', { samples: 8, seed: 3 });

  it('offers the rank-4 layers and explains the others', () => {
    const graph = toGraph(mnist.model);
    expect(findSites(graph, convIdentity())).toEqual(['conv_input', 'conv']);
    expect(convIdentity().explain?.(graph, 'flatten')).toBe('output has rank 2; conv-identity needs rank 3 [batch, steps, features] or rank 4 [batch, height, width, channels]');
    expect(convIdentity({ activation: 'relu' }).explain?.(graph, 'conv_input')).toMatch(/^output of InputLayer "conv_input" can be negative/);
  });

  it('grows after conv with a ReLU centre-tap identity and identical predictions', async () => {
    const { model: grown, added } = await grow(mnist.model, convIdentity(), { after: 'conv' });
    expect(added).toEqual(['conv_identity']);
    const layer = grown.getLayer('conv_identity');
    expect(layer.getConfig()).toMatchObject({ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu' });
    const [kernel, bias] = layer.getWeights();
    expect(kernel!.shape).toEqual([3, 3, 32, 32]);
    const values = kernel!.arraySync() as number[][][][];
    expect(values[1]![1]!.every((row, c) => row.every((v, d) => v === (c === d ? 1 : 0)))).toBe(true);
    expect(tf.sum(kernel!).dataSync()[0]).toBe(32);
    expect(Array.from(bias!.dataSync())).toEqual(new Array(32).fill(0));
    expect(maxPredictionDiff(mnist.model, grown, mnist.inputs)).toBe(0);
    grown.dispose();
  });

  it('takes kernelSize as a string from the CLI and refuses an even one', async () => {
    const untyped: SurgeryStrategy = convIdentity();
    const { model: grown } = await grow(mnist.model, untyped, { after: 'conv' }, { kernelSize: '5' });
    expect(grown.getLayer('conv_identity').getWeights()[0]!.shape).toEqual([5, 5, 32, 32]);
    expect(maxPredictionDiff(mnist.model, grown, mnist.inputs)).toBe(0);
    grown.dispose();
    await expectRefusal(() => grow(mnist.model, untyped, { after: 'conv' }, { kernelSize: '4' }), 'INVALID_OPTION', /expected an odd integer from 1 to 31 \(so "same" padding is centred\)/);
    expect(() => convIdentity({ kernelSize: 2 })).toThrow(/"kernelSize" is 2/);
  });

  it('refuses a site it does not offer, from grow and from apply', async () => {
    await expectRefusal(() => grow(mnist.model, convIdentity(), { after: 'hidden' }), 'SITE_NOT_OFFERED', /output has rank 2/);
    await expectRefusal(() => convIdentity().apply(toGraph(mnist.model), { after: 'flatten' }), 'SITE_NOT_OFFERED', /rank 2/);
  });
});

describe('activation rule', () => {
  it('uses linear after tanh and refuses a forced ReLU there with the reason', async () => {
    const graph = toGraph(getFixture('conv-valid-strides').build(1));
    expect(findSites(graph, convIdentity({ activation: 'relu' }))).toEqual(['conv_1']);
    expect(convIdentity({ activation: 'relu' }).explain?.(graph, 'conv_3')).toBe("output of tanh can be negative; a ReLU identity would clip it — use activation: 'linear'");
    expect((await growExactly('conv-valid-strides', 'conv_3'))['activation']).toBe('linear');
    expect((await growExactly('conv-valid-strides', 'conv_1'))['activation']).toBe('relu');
    await expectRefusal(() => convIdentity().apply(graph, { after: 'conv_3' }, { activation: 'relu' }), 'NOT_EXACT', /output of tanh can be negative/);
  });

  it('follows ReLU through activation, dropout and pooling layers, and not through batch norm', async () => {
    const graph = toGraph(getFixture('conv-batchnorm-dropout').build(1));
    expect(findSites(graph, convIdentity({ activation: 'relu' }))).toEqual(['relu', 'dropout', 'avg_pool']);
    expect((await growExactly('conv-batchnorm-dropout', 'conv_bn'))['activation']).toBe('linear');
    expect((await growExactly('conv-batchnorm-dropout', 'dropout'))['activation']).toBe('relu');
  });

  it('stays exact after a residual Add (linear) in a functional model', async () => {
    expect((await growExactly('functional-conv-residual', 'add', { kernelSize: 1 }))['activation']).toBe('linear');
  });
});

describe('refusals and noise', () => {
  it('refuses channels_first outputs, also through an Activation layer', () => {
    const input = tf.input({ shape: [3, 8, 8], name: 'input' });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst', name: 'conv' }).apply(input) as tf.SymbolicTensor;
    const relu = tf.layers.activation({ activation: 'relu', name: 'relu' }).apply(conv) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: relu });
    const graph = toGraph(model);
    expect(convIdentity().explain?.(graph, 'conv')).toBe('"conv" uses data_format channels_first; conv-identity supports channels_last only');
    expect(convIdentity().explain?.(graph, 'relu')).toBe('"conv" uses data_format channels_first; conv-identity supports channels_last only');
    model.dispose();
  });

  it('refuses a layer called at two sites', () => {
    const input = tf.input({ shape: [6, 6, 2], name: 'input' });
    const shared = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'shared' });
    const twice = shared.apply(shared.apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: twice });
    expect(convIdentity().explain?.(toGraph(model), 'shared')).toBe('layer is called at 2 sites; conv-identity needs a layer called once');
    model.dispose();
  });

  it('noise perturbs only the centre tap, by at most noise, reproducibly per seed', () => {
    const model = getFixture('conv-same-padding-pooling').build(1);
    const graph = toGraph(model);
    const kernelOf = (seed: number) => Array.from(convIdentity({ noise: 0.01, seed }).apply(graph, { after: 'max_pool' }).graph.nodes.find((n) => n.name === 'max_pool_identity')!.weights[0]!.values);
    const kernel = kernelOf(3);
    expect(kernelOf(3)).toEqual(kernel);
    expect(kernelOf(4)).not.toEqual(kernel);
    const centre = 4 * 16; // tap (1, 1) of a 3×3 kernel over 4×4 channels
    const exact = (k: number) => (k >= centre && k < centre + 16 && (k - centre) % 5 === 0 ? 1 : 0);
    const deviations = kernel.map((w, k) => Math.abs(w - exact(k)));
    expect(deviations.every((d, k) => (k >= centre && k < centre + 16 ? d <= 0.01 : d === 0))).toBe(true);
    expect(Math.max(...deviations)).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('conv-identity on sequences', () => {
  it('offers Conv1D outputs and the per-step layers after them, and refuses a sequence no Conv1D produced', () => {
    const conv1d = getFixture('conv1d-net').build();
    expect(findSites(conv1d, convIdentity())).toEqual(['conv1d_1', 'conv1d_2', 'max_pool', 'conv1d_3']);
    conv1d.dispose();
    const tagger = getFixture('sequence-tagger-gru').build();
    expect(convIdentity().explain?.(toGraph(tagger), 'gru')).toMatch(/is a sequence no Conv1D produced; a Conv1D there would mix neighbouring steps/);
    tagger.dispose();
  });
});
