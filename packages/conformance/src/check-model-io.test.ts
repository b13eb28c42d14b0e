import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { SurgeryStrategy } from '@graft/core';
import { checkRoundTrip } from './check-round-trip.js';
import { checkSourceUnchanged } from './check-source-unchanged.js';
import { checkTrainingStep } from './check-training-step.js';
import { linearIdentity } from './sample-strategies.test-support.js';
import { growFixture, poison } from './test-models.test-support.js';

/** linearIdentity, but its apply forgets to dispose a tensor it made: a leak check 3 must catch. */
function leakyIdentity(): SurgeryStrategy {
  const good = linearIdentity();
  return {
    ...good,
    name: 'leaky-identity',
    apply(graph, site, options) {
      const n = tf.scalar(1); // never disposed
      void n;
      return good.apply(graph, site, options);
    },
  };
}

describe('checkSourceUnchanged', () => {
  it('passes a strategy that builds a new model and leaks nothing', async () => {
    const g = await growFixture('shared-layer', linearIdentity(), 'dense_3');
    const result = await checkSourceUnchanged(g.source, linearIdentity(), { after: 'dense_3' });
    g.dispose();
    expect(result).toMatchObject({ ok: true, changedWeights: [], topologyChanged: false, leakedTensors: 0 });
  });

  it('FAILS a strategy that leaks a tensor', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_3');
    const result = await checkSourceUnchanged(g.source, leakyIdentity(), { after: 'dense_3' });
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.leakedTensors).toBe(1);
  });

  it('FAILS when grow throws, saying why', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_3');
    const result = await checkSourceUnchanged(g.source, linearIdentity(), { after: 'no_such_layer' });
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/grow failed: GraftError: .*no_such_layer/);
  });
});

describe('checkRoundTrip', () => {
  it('passes a grown model, and the added layers survive save and load', async () => {
    const g = await growFixture('conv-batchnorm-dropout', linearIdentity(), 'dense_3');
    const result = await checkRoundTrip(g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(true);
    expect(result.addedAfter).toEqual(['dense_3_identity']);
  });

  it('FAILS a model whose reloaded predictions cannot be compared (NaN weights)', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_3');
    poison(g.grown, 'dense_3_identity', Number.NaN);
    const result = await checkRoundTrip(g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
  });
});

describe('checkTrainingStep', () => {
  it('passes a grown model with dropout and batch norm', async () => {
    const g = await growFixture('conv-batchnorm-dropout', linearIdentity(), 'dense_3');
    const result = await checkTrainingStep(g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(true);
    expect(Number.isFinite(result.loss)).toBe(true);
  });

  it('FAILS a model whose loss is not finite', async () => {
    const g = await growFixture('dense-chain-linear', linearIdentity(), 'dense_3');
    poison(g.grown, 'dense_3_identity', Number.POSITIVE_INFINITY);
    const result = await checkTrainingStep(g.grown, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
  });
});

