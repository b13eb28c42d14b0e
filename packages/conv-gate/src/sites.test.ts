import * as tf from '@tensorflow/tfjs';
import { findSites, grow, isGraftError, toGraph } from '@graft/core';
import { fixtures, getFixture, mnistReferenceModel } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGate } from './conv-gate.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const strategy = convGate();

describe('conv-gate sites', () => {
  it('offers rank-4 layers only, never the model input', () => {
    const model = mnistReferenceModel();
    expect(findSites(model, strategy)).toEqual(['conv']);
    expect(findSites(getFixture('conv-same-padding-pooling').build(), strategy)).toEqual(['conv_1', 'max_pool', 'conv_3']);
    model.dispose();
  });

  it('offers nothing in dense-only fixtures', () => {
    for (const fixture of fixtures.filter((f) => !f.tags.includes('conv'))) {
      const model = fixture.build();
      expect(findSites(model, strategy)).toEqual([]);
      model.dispose();
    }
  });

  it('explains why a layer is not a site', () => {
    const model = mnistReferenceModel();
    const graph = toGraph(model);
    expect(strategy.explain?.(graph, 'hidden')).toBe('output has rank 2; conv-gate needs rank 4 [batch, height, width, channels]');
    expect(strategy.explain?.(graph, 'conv_input')).toMatch(/model input/);
    expect(strategy.explain?.(graph, 'conv')).toBeUndefined();
    model.dispose();
  });

  it('apply refuses a site it does not offer, even when called directly', () => {
    const model = mnistReferenceModel();
    const graph = toGraph(model);
    expect(() => strategy.apply(graph, { after: 'hidden' })).toThrow(/rank 2/);
    expect(() => strategy.apply(graph, { after: 'hidden' })).toThrow(expect.objectContaining({ code: 'SITE_NOT_OFFERED' }) as Error);
    model.dispose();
  });

  it('grow reports the reason for a refused site', async () => {
    const model = mnistReferenceModel();
    const error = await grow(model, strategy, { after: 'flatten' }).catch((e: unknown) => e);
    expect(isGraftError(error, 'SITE_NOT_OFFERED')).toBe(true);
    expect((error as Error).message).toMatch(/rank 2.*applies after: conv/);
    model.dispose();
  });

  it('refuses channels_first layouts, also downstream of the layer that declares them', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [2, 8, 8], filters: 3, kernelSize: 3, dataFormat: 'channelsFirst', name: 'cf_conv' }),
        tf.layers.activation({ activation: 'relu', name: 'cf_relu' }),
        tf.layers.flatten({ name: 'cf_flatten' }),
      ],
    });
    const graph = toGraph(model);
    expect(strategy.findSites(graph)).toEqual([]);
    expect(strategy.explain?.(graph, 'cf_relu')).toMatch(/"cf_conv" uses data_format channels_first; conv-gate supports channels_last only/);
    expect(() => strategy.apply(graph, { after: 'cf_conv' })).toThrow(expect.objectContaining({ code: 'SITE_NOT_OFFERED' }));
    model.dispose();
  });

  it('refuses a layer called more than once', () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const shared = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'shared_conv' });
    const twice = shared.apply(shared.apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: twice });
    const graph = toGraph(model);
    expect(strategy.findSites(graph)).toEqual([]);
    expect(strategy.explain?.(graph, 'shared_conv')).toBe('layer is called at 2 sites; conv-gate needs a layer called once');
    model.dispose();
  });
});
