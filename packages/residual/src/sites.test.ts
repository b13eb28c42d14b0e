import * as tf from '@tensorflow/tfjs';
import { findSites, grow, isGraftError, toGraph } from '@graft/core';
import { getFixture, mnistReferenceModel } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { residual } from './residual.js';

const strategy = residual();

describe('residual sites', () => {
  it('offers rank-2 and rank-4 layers, never the model input', () => {
    const model = mnistReferenceModel();
    expect(findSites(model, strategy)).toEqual(['conv', 'flatten', 'hidden', 'output']);
    expect(strategy.explain?.(toGraph(model), 'conv_input')).toMatch(/model input/);
    model.dispose();
  });

  it('refuses other ranks with the reason, in explain, apply and grow', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, name: 'd' }), tf.layers.reshape({ targetShape: [2, 2, 2, 1], name: 'seq' }), tf.layers.flatten({ name: 'f' })] });
    const graph = toGraph(model);
    expect(strategy.findSites(graph)).toEqual(['d', 'f']);
    const reason = 'output has rank 5; residual needs rank 2 [batch, features] or rank 3 [batch, steps, features] or rank 4 [batch, height, width, channels]';
    expect(strategy.explain?.(graph, 'seq')).toBe(reason);
    expect(() => strategy.apply(graph, { after: 'seq' })).toThrow(reason);
    expect(() => strategy.apply(graph, { after: 'seq' })).toThrow(expect.objectContaining({ code: 'SITE_NOT_OFFERED' }) as Error);
    const error = await grow(model, strategy, { after: 'seq' }).catch((e: unknown) => e);
    expect(isGraftError(error, 'SITE_NOT_OFFERED')).toBe(true);
    model.dispose();
  });

  it('refuses rank 4 under channels_first, but still offers the flattened features after it', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [2, 8, 8], filters: 3, kernelSize: 3, dataFormat: 'channelsFirst', name: 'cf_conv' }),
        tf.layers.activation({ activation: 'relu', name: 'cf_relu' }),
        tf.layers.flatten({ name: 'cf_flatten' }),
      ],
    });
    const graph = toGraph(model);
    expect(strategy.findSites(graph)).toEqual(['cf_flatten']);
    expect(strategy.explain?.(graph, 'cf_relu')).toMatch(/"cf_conv" uses data_format channels_first/);
    model.dispose();
  });

  it('refuses a layer called more than once', () => {
    const model = getFixture('shared-layer').build();
    const graph = toGraph(model);
    expect(strategy.findSites(graph)).not.toContain('dense_1');
    expect(strategy.explain?.(graph, 'dense_1')).toBe('layer is called at 2 sites; residual needs a layer called once');
    expect(() => strategy.apply(graph, { after: 'dense_1' })).toThrow(expect.objectContaining({ code: 'SITE_NOT_OFFERED' }));
    model.dispose();
  });

  it('offers per-token sequences but not attention scores, their mask, or a padding-masked sequence', () => {
    const gpt = getFixture('gpt-block').build();
    const graph = toGraph(gpt);
    const sites = strategy.findSites(graph);
    expect(sites).toEqual(expect.arrayContaining(['embedding_add', 'block_0_ln_1', 'block_0_head_0_value', 'block_0_head_0_attend', 'block_0_mlp_hidden', 'head']));
    expect(sites).not.toContain('block_0_head_0_softmax');
    expect(strategy.explain?.(graph, 'block_0_head_0_scores')).toMatch(/indexes positions \(attention scores or their mask\), not features; residual would mix positions/);
    gpt.dispose();
    const classifier = getFixture('text-classifier-lstm').build();
    expect(strategy.explain?.(toGraph(classifier), 'embedding')).toMatch(/carries a padding mask/);
    classifier.dispose();
  });

  it('refuses attention keys, whose constant part the softmax ignores, and offers queries and values', () => {
    const model = getFixture('gpt-2-blocks-4-heads').build();
    const graph = toGraph(model);
    const sites = strategy.findSites(graph);
    expect(sites).toContain('block_1_head_1_query');
    expect(sites).toContain('block_1_head_1_value');
    expect(sites).not.toContain('block_1_head_1_key');
    expect(strategy.explain?.(graph, 'block_1_head_1_key')).toBe('output of "block_1_head_1_key" is read only as attention keys, where the softmax ignores a branch\'s constant part, so its bias could never learn');
    model.dispose();
  });
});
