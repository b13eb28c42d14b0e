import * as tf from '@tensorflow/tfjs';
import { fixtures, getFixture, maxAbsDiff, predictAll, randomInputs } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { GraftError } from './errors.js';
import { toGraph } from './graph/to-graph.js';
import { findSites, grow } from './grow.js';
import { addedLayers } from './metadata.js';
import type { SurgeryStrategy } from './strategy.js';
import { linearIdentityForTests } from './test-support/identity-strategy.js';

const strategy = linearIdentityForTests();

describe('grow', () => {
  it.each(fixtures.map((f) => [f.name]))('preserves predictions at every offered site of %s', async (name) => {
    const fixture = getFixture(name);
    const model = fixture.build();
    const inputs = randomInputs(fixture, 4);
    const before = predictAll(model, inputs);
    const weightsBefore = model.getWeights().map((w) => Array.from(w.dataSync()));
    for (const after of findSites(model, strategy)) {
      const grown = await grow(model, strategy, { after });
      expect(grown.added).toEqual([`${after}_identity`]);
      expect(maxAbsDiff(before, predictAll(grown.model, inputs))).toBeLessThanOrEqual(1e-5);
      expect(grown.model.layers.length).toBe(model.layers.length + 1);
      grown.model.dispose();
    }
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsBefore);
    inputs.forEach((t) => t.dispose());
    model.dispose();
  });

  it('rewires every consumer and the model output', async () => {
    const model = getFixture('functional-residual').build();
    const { model: grown } = await grow(model, strategy, { after: 'dense_1' });
    const graph = toGraph(grown);
    const readers = graph.nodes.filter((n) => n.inbound.some((call) => call.some((r) => r.layer === 'dense_1'))).map((n) => n.name);
    expect(readers).toEqual(['dense_1_identity']);
    const { model: atOutput } = await grow(model, strategy, { after: 'dense_7' });
    expect(toGraph(atOutput).outputs[0]!.layer).toBe('dense_7_identity');
    [model, grown, atOutput].forEach((m) => m.dispose());
  });

  it('keeps a Sequential model Sequential when the result is still a chain', async () => {
    const model = getFixture('dense-chain-relu').build();
    const { model: grown } = await grow(model, strategy, { after: 'dense_3' });
    expect(grown.getClassName()).toBe('Sequential');
    model.dispose();
    grown.dispose();
  });

  it('records growth in metadata, across several steps', async () => {
    const model = getFixture('dense-chain-relu').build();
    const first = await grow(model, strategy, { after: 'dense_1' });
    const second = await grow(first.model, strategy, { after: 'dense_3' });
    expect(addedLayers(second.model)).toEqual(['dense_1_identity', 'dense_3_identity']);
    expect((second.model.getUserDefinedMetadata() as { graft: { history: unknown[] } }).graft.history).toHaveLength(2);
    expect(addedLayers(model)).toEqual([]);
    [model, first.model, second.model].forEach((m) => m.dispose());
  });

  it('refuses an unknown layer with UNKNOWN_LAYER', async () => {
    const model = getFixture('dense-chain-relu').build();
    await expect(grow(model, strategy, { after: 'nope' })).rejects.toMatchObject({ code: 'UNKNOWN_LAYER' });
    model.dispose();
  });

  it('refuses the model-wide site "*" for a layer strategy, and a model-wide strategy listing layers', async () => {
    const model = getFixture('dense-chain-relu').build();
    const error = await grow(model, strategy, { after: '*' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SITE_NOT_OFFERED', message: 'Strategy "test-linear-identity" grows after a layer; "*" is the site of model-wide strategies. Expected a layer name.' });
    const confused: SurgeryStrategy = { ...strategy, name: 'confused', scope: 'model' };
    expect(() => findSites(model, confused)).toThrowError(/is model-wide; its findSites must return \["\*"\] or \[\]/);
    model.dispose();
  });

  it('refuses a site the strategy does not offer, with its reason', async () => {
    const model = getFixture('mnist-reference').build();
    const error = await grow(model, strategy, { after: 'conv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraftError);
    expect((error as GraftError).code).toBe('SITE_NOT_OFFERED');
    expect((error as GraftError).message).toContain('output is not rank 2');
    model.dispose();
  });

  it('refuses a layer shared at several call sites', async () => {
    const model = getFixture('shared-layer').build();
    expect(findSites(model, strategy)).not.toContain('dense_1');
    await expect(grow(model, strategy, { after: 'dense_1' })).rejects.toMatchObject({ code: 'SITE_NOT_OFFERED' });
    model.dispose();
  });

  it.each([
    ['null', null],
    ['a missing apply', { name: 'x', description: 'd', findSites: () => [] }],
    ['a bad name', { name: 'Not Kebab', description: 'd', findSites: () => [], apply: () => null }],
  ])('checks the strategy shape first: %s', async (_label, bad) => {
    const model = getFixture('dense-chain-relu').build();
    await expect(grow(model, bad as unknown as SurgeryStrategy, { after: 'dense_1' })).rejects.toMatchObject({ code: 'INVALID_STRATEGY' });
    model.dispose();
  });

  it('refuses a strategy that returns the graph unchanged or adds nothing', async () => {
    const model = getFixture('dense-chain-relu').build();
    const lazy: SurgeryStrategy = { ...strategy, name: 'lazy', apply: (graph) => ({ graph, added: [] }) };
    await expect(grow(model, lazy, { after: 'dense_1' })).rejects.toMatchObject({ code: 'INVALID_STRATEGY' });
    model.dispose();
  });

  it('leaks no tensors across 1,000 grow calls', async () => {
    const model = getFixture('dense-chain-tanh').build();
    const warm = await grow(model, strategy, { after: 'dense_3' });
    warm.model.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      const grown = await grow(model, strategy, { after: i % 2 === 0 ? 'dense_1' : 'dense_3' });
      grown.model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }, 300_000);
});
