import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkLiveness } from './check-liveness.js';
import { linearIdentity, residualBranch } from './sample-strategies.test-support.js';
import { growFixture } from './test-models.test-support.js';

describe('checkLiveness', () => {
  it('passes an identity Dense: every added weight moves at the first step', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_3');
    const result = await checkLiveness(g.grown, g.added, g.inputs);
    g.dispose();
    expect(result).toMatchObject({ ok: true, addedWeights: ['dense_3_identity/kernel', 'dense_3_identity/bias'], stillAfterStep2: [] });
    expect(result.movedAfterStep1).toEqual(result.addedWeights);
  });

  it('passes a residual branch behind a zero output kernel: its input kernel moves only at step 2', async () => {
    const g = await growFixture('dense-chain-tanh', residualBranch({ deadInput: false }), 'dense_3');
    const result = await checkLiveness(g.grown, g.added, g.inputs);
    g.dispose();
    expect(result.ok).toBe(true);
    expect(result.movedAfterStep1).toEqual(['dense_3_branch_out/kernel']);
    expect(result.addedWeights).toContain('dense_3_branch_in/kernel');
  });

  it('negative control: FAILS an insertion with zero in and zero out, where no weight ever gets a gradient', async () => {
    const g = await growFixture('dense-chain-tanh', residualBranch({ deadInput: true }), 'dense_3');
    const result = await checkLiveness(g.grown, g.added, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.movedAfterStep1).toEqual([]);
    expect(result.message).toMatch(/No added weight moved at the first optimizer step/);
  });

  it('FAILS a dead branch even when its output bias learns', async () => {
    const g = await growFixture('functional-residual', residualBranch({ deadInput: true, outputBias: true }), 'dense_3');
    const result = await checkLiveness(g.grown, g.added, g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.movedAfterStep1).toEqual(['dense_3_branch_out/bias']);
    expect(result.stillAfterStep2).toEqual(['dense_3_branch_in/kernel', 'dense_3_branch_out/kernel']);
  });

  it('FAILS when the added layers have no trainable weights at all', async () => {
    const g = await growFixture('dense-chain-relu', residualBranch({ deadInput: false }), 'dense_1');
    const result = await checkLiveness(g.grown, ['dense_1_branch_add'], g.inputs);
    g.dispose();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/Nothing that can learn was added/);
  });

  it('trains a copy: the model it is given keeps its weights, and no tensor leaks', async () => {
    const g = await growFixture('dense-chain-relu', linearIdentity(), 'dense_1');
    const before = g.grown.getWeights().map((w) => w.dataSync().slice());
    const tensors = tf.memory().numTensors;
    await checkLiveness(g.grown, g.added, g.inputs);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(g.grown.getWeights().map((w) => w.dataSync().slice())).toEqual(before);
    g.dispose();
  });
});
