import { findSites, grow, isGraftError, toGraph } from '@graft/core';
import { fixtures, getFixture, mnistReferenceModel } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { convGate } from './conv-gate.js';

const strategy = convGate();

describe('conv-gate sites', () => {
  it('offers rank-4 layers only, never the model input', () => {
    const model = mnistReferenceModel();
    expect(findSites(model, strategy)).toEqual(['conv']);
    expect(findSites(getFixture('conv-same-padding-pooling').build(), strategy)).toEqual(['conv_1', 'max_pool', 'conv_3']);
    model.dispose();
  });

  it('offers nothing in dense-only fixtures, nor in sequences no Conv1D produced', () => {
    for (const fixture of fixtures.filter((f) => !f.tags.includes('conv') && !f.tags.includes('conv1d'))) {
      const model = fixture.build();
      expect(findSites(model, strategy)).toEqual([]);
      model.dispose();
    }
  });

  it('explains why a layer is not a site', () => {
    const model = mnistReferenceModel();
    const graph = toGraph(model);
    expect(strategy.explain?.(graph, 'hidden')).toBe('output has rank 2; conv-gate needs rank 3 [batch, steps, features] or rank 4 [batch, height, width, channels]');
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
  // channels_first and shared layers are refused by core's describeSite (tested there, and stated in the conformance call).
});
