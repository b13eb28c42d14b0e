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

/**
 * Grows `fixtureName` with linearIdentity after dense_3, sets the added layer's kernel to `poisonWith` when given
 * (a model that must fail), and runs `check` on the grown model; everything is disposed before it returns.
 */
async function checkGrownIdentity<R>(fixtureName: string, check: (model: tf.LayersModel, inputs: tf.Tensor[]) => Promise<R>, poisonWith?: number): Promise<R> {
  const g = await growFixture(fixtureName, linearIdentity(), 'dense_3');
  try {
    if (poisonWith !== undefined) poison(g.grown, 'dense_3_identity', poisonWith);
    return await check(g.grown, g.inputs);
  } finally {
    g.dispose();
  }
}

describe('checkRoundTrip', () => {
  it('passes a grown model, and the added layers survive save and load', async () => {
    const result = await checkGrownIdentity('conv-batchnorm-dropout', checkRoundTrip);
    expect(result.ok).toBe(true);
    expect(result.addedAfter).toEqual(['dense_3_identity']);
  });

  it('FAILS a model whose reloaded predictions cannot be compared (NaN weights)', async () => {
    const result = await checkGrownIdentity('dense-chain-relu', checkRoundTrip, Number.NaN);
    expect(result.ok).toBe(false);
  });
});

describe('checkTrainingStep', () => {
  it('passes a grown model with dropout and batch norm', async () => {
    const result = await checkGrownIdentity('conv-batchnorm-dropout', checkTrainingStep);
    expect(result.ok).toBe(true);
    expect(Number.isFinite(result.loss)).toBe(true);
  });

  it('FAILS a model whose loss is not finite', async () => {
    const result = await checkGrownIdentity('dense-chain-linear', checkTrainingStep, Number.POSITIVE_INFINITY);
    expect(result.ok).toBe(false);
  });
});
