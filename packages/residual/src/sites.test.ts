import * as tf from '@tensorflow/tfjs';
import { findSites, grow, isGraftError, toGraph } from '@graft/core';
import { getFixture, mnistReferenceModel } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { residual } from './residual.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const strategy = residual();

describe('residual sites', () => {
  it('offers rank-2 and rank-4 layers, never the model input', () => {
    const model = mnistReferenceModel();
    expect(findSites(model, strategy)).toEqual(['conv', 'flatten', 'hidden', 'output']);
    expect(strategy.explain?.(toGraph(model), 'conv_input')).toMatch(/model input/);
    model.dispose();
  });

  it('refuses other ranks with the reason, in explain, apply and grow', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 6, name: 'd' }), tf.layers.reshape({ targetShape: [2, 3], name: 'seq' }), tf.layers.flatten({ name: 'f' })] });
    const graph = toGraph(model);
    expect(strategy.findSites(graph)).toEqual(['d', 'f']);
    const reason = 'output has rank 3; residual needs rank 2 [batch, features] or rank 4 [batch, height, width, channels]';
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
});
