import * as tf from '@tensorflow/tfjs';
import { findSites, grow, toGraph, type SurgeryStrategy } from '@graft/core';
import { expectRefusal, maxPredictionDiff, useFixture } from '@graft/conformance/testing';
import { getFixture, randomInputs } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { denseIdentity } from './index.js';
import { EXTRA_RELU_BIAS } from './dense-identity.js';

function weightsOf(model: tf.LayersModel, layer: string): Float32Array[] {
  return model.getLayer(layer).getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('dense-identity on the MNIST reference model', () => {
  const mnist = useFixture('mnist-reference', { samples: 16, seed: 3 });

  it('offers every rank-2 layer and explains the others', () => {
    const strategy = denseIdentity();
    expect(findSites(mnist.model, strategy)).toEqual(['hidden', 'output']);
    expect(strategy.explain?.(toGraph(mnist.model), 'conv')).toBe('output has rank 4; dense-identity needs rank 2 [batch, features] or rank 3 [batch, steps, features]');
    // 26 × 26 × 32 = 21,632 units: an identity there would be a 1.9 GB kernel.
    expect(strategy.explain?.(toGraph(mnist.model), 'flatten')).toMatch(/^output has 21,632 units, and a 21,632 × 21,632 identity kernel would exceed dense-identity's limit of 16,777,216 weights/);
    expect(strategy.explain?.(toGraph(mnist.model), 'hidden')).toBeUndefined();
  });

  it('grows after hidden with a ReLU identity and identical predictions', async () => {
    const { model: grown, added } = await grow(mnist.model, denseIdentity(), { after: 'hidden' });
    expect(added).toEqual(['hidden_identity']);
    const layer = grown.getLayer('hidden_identity');
    expect(layer.getConfig()).toMatchObject({ units: 20, activation: 'relu', useBias: true });
    const [kernel, bias] = weightsOf(grown, 'hidden_identity');
    expect(Array.from(kernel!)).toEqual(Array.from({ length: 400 }, (_, k) => (k % 21 === 0 ? 1 : 0)));
    expect(Array.from(bias!)).toEqual(new Array(20).fill(0));
    expect(maxPredictionDiff(mnist.model, grown, mnist.inputs)).toBe(0);
    grown.dispose();
  });

  it('widens to 32 units: [I | R] kernel, zero rows in the consumer, identical predictions', async () => {
    const { model: grown, added } = await grow(mnist.model, denseIdentity({ units: 32 }), { after: 'hidden' });
    expect(added).toEqual(['hidden_identity', 'output']);
    const [kernel, bias] = weightsOf(grown, 'hidden_identity');
    for (let i = 0; i < 20; i++) {
      const row = Array.from(kernel!.subarray(i * 32, (i + 1) * 32));
      expect(row.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, j) => (i === j ? 1 : 0)));
      // ReLU extras: non-negative incoming weights and a positive bias keep them alive on non-negative inputs.
      expect(row.slice(20).every((w) => w >= 0 && w < 1)).toBe(true);
    }
    expect(new Set(kernel!.subarray(20, 32)).size).toBeGreaterThan(1);
    expect(Array.from(bias!.subarray(20))).toEqual(new Array(12).fill(Math.fround(EXTRA_RELU_BIAS)));
    const [outKernel] = weightsOf(grown, 'output');
    const [oldKernel] = weightsOf(mnist.model, 'output');
    expect(outKernel!.length).toBe(32 * 10);
    expect(Array.from(outKernel!.subarray(0, 200))).toEqual(Array.from(oldKernel!));
    expect(Array.from(outKernel!.subarray(200))).toEqual(new Array(120).fill(0));
    expect(maxPredictionDiff(mnist.model, grown, mnist.inputs)).toBe(0);
    grown.dispose();
  });

  it('refuses units below the incoming width, also when the override comes from the CLI as a string', async () => {
    expect(denseIdentity({ units: 10 }).explain?.(toGraph(mnist.model), 'hidden')).toMatch(/^units 10 < 20 incoming units/);
    expect(findSites(mnist.model, denseIdentity({ units: 10 }))).toEqual(['output']);
    const untyped: SurgeryStrategy = denseIdentity();
    await expectRefusal(() => grow(mnist.model, untyped, { after: 'hidden' }, { units: '10' }), 'INVALID_OPTION', /units 10 < 20 incoming units/);
    await expectRefusal(() => grow(mnist.model, denseIdentity(), { after: 'hidden' }, { units: 1_000_000 }), 'INVALID_OPTION', /units 1,000,000 would make a 20 × 1,000,000 kernel, over .* use units ≤ 838,860/);
  });

  it('accepts a widening override as a string and refuses widening a model output', async () => {
    // @ts-expect-error: a typed strategy takes numbers; text is what the CLI (holding untyped strategies) passes.
    const { model: grown } = await grow(mnist.model, denseIdentity(), { after: 'hidden' }, { units: '24' });
    expect(grown.getLayer('hidden_identity').getWeights()[0]!.shape).toEqual([20, 24]);
    grown.dispose();
    expect(findSites(mnist.model, denseIdentity({ units: 64 }))).toEqual(['hidden']);
    await expectRefusal(() => grow(mnist.model, denseIdentity(), { after: 'output' }, { units: 16 }), 'NOT_EXACT', /"output" is a model output/);
  });

  it('refuses a site it does not offer, from grow and from apply', async () => {
    await expectRefusal(() => grow(mnist.model, denseIdentity(), { after: 'conv' }), 'SITE_NOT_OFFERED', /output has rank 4; dense-identity needs rank 2/);
    await expectRefusal(() => denseIdentity().apply(toGraph(mnist.model), { after: 'conv' }), 'SITE_NOT_OFFERED', /rank 4/);
    await expectRefusal(() => denseIdentity().apply(toGraph(mnist.model), { after: 'nope' }), 'SITE_NOT_OFFERED', /no layer "nope"/);
  });
});

describe('activation rule', () => {
  it('uses linear after tanh and refuses a forced ReLU with the reason', async () => {
    const fixture = getFixture('dense-chain-tanh');
    const model = fixture.build(1);
    const inputs = randomInputs(fixture, 16, 5);
    const graph = toGraph(model);
    expect(findSites(graph, denseIdentity({ activation: 'relu' }))).toEqual(['dense_5']);
    expect(denseIdentity({ activation: 'relu' }).explain?.(graph, 'dense_1')).toBe(
      "output of tanh can be negative; a ReLU identity would clip it — use activation: 'linear'",
    );
    await expectRefusal(() => grow(model, denseIdentity(), { after: 'dense_1' }, { activation: 'relu' }), 'NOT_EXACT', /output of tanh can be negative/);
    const { model: grown } = await grow(model, denseIdentity(), { after: 'dense_1' });
    expect(grown.getLayer('dense_1_identity').getConfig()['activation']).toBe('linear');
    expect(maxPredictionDiff(model, grown, inputs)).toBe(0);
    [model, grown, ...inputs].forEach((x) => x.dispose());
  });

  it('uses linear after a signed input and ReLU after a softmax', () => {
    const graph = toGraph(getFixture('dense-chain-relu').build(1));
    const strategy = denseIdentity();
    const relu = denseIdentity({ activation: 'relu' });
    expect(strategy.findSites(graph)).toEqual(['dense_1_input', 'dense_1', 'dense_3', 'dense_5']);
    expect(relu.findSites(graph)).toEqual(['dense_1', 'dense_3', 'dense_5']);
    expect(relu.explain?.(graph, 'dense_1_input')).toMatch(/^output of InputLayer "dense_1_input" can be negative/);
  });

  it('lets a forced linear identity stand after a ReLU', async () => {
    const model = getFixture('dense-chain-relu').build(1);
    const { model: grown } = await grow(model, denseIdentity({ activation: 'linear' }), { after: 'dense_3' });
    expect(grown.getLayer('dense_3_identity').getConfig()['activation']).toBe('linear');
    [model, grown].forEach((m) => m.dispose());
  });
});

describe('sites in functional models', () => {
  it('refuses a shared layer and widening into a non-Dense consumer', () => {
    const shared = toGraph(getFixture('shared-layer').build(1));
    expect(denseIdentity().explain?.(shared, 'dense_1')).toBe('layer is called at 2 sites; dense-identity needs a layer called once');
    const residual = toGraph(getFixture('functional-residual').build(1));
    expect(denseIdentity().findSites(residual)).toContain('dense_1');
    expect(denseIdentity({ units: 12 }).explain?.(residual, 'dense_1')).toMatch(/"add" \(Add\) reads it and cannot take zero rows/);
  });

  it('stays exact after a Concatenate of relu and tanh branches (linear)', async () => {
    const fixture = getFixture('multi-input-multi-output');
    const model = fixture.build(1);
    const inputs = randomInputs(fixture, 8, 2);
    const { model: grown } = await grow(model, denseIdentity({ units: 14 }), { after: 'concat' });
    expect(grown.getLayer('concat_identity').getConfig()['activation']).toBe('linear');
    expect(maxPredictionDiff(model, grown, inputs)).toBe(0);
    [model, grown, ...inputs].forEach((x) => x.dispose());
  });
});

describe('noise and liveness', () => {
  it('noise moves each unit by at most noise · ‖x‖₁, reproducibly per seed', () => {
    const fixture = getFixture('dense-chain-linear');
    const model = fixture.build(1);
    const graph = toGraph(model);
    const kernelOf = (seed: number) => Array.from(denseIdentity({ noise: 0.01, seed }).apply(graph, { after: 'dense_1' }).graph.nodes.find((n) => n.name === 'dense_1_identity')!.weights[0]!.values);
    const kernel = kernelOf(4);
    expect(kernelOf(4)).toEqual(kernel);
    expect(kernelOf(5)).not.toEqual(kernel);
    const deviation = Math.max(...kernel.map((w, k) => Math.abs(w - (k % 9 === 0 ? 1 : 0))));
    expect(deviation).toBeGreaterThan(0);
    expect(deviation).toBeLessThanOrEqual(0.01);
    model.dispose();
  });

  it('moves some added weight at the first SGD step, and every extra-unit weight within two', async () => {
    const fixture = getFixture('dense-chain-relu');
    const model = fixture.build(1);
    const { model: grown, added } = await grow(model, denseIdentity({ units: 12 }), { after: 'dense_3' });
    expect(added).toEqual(['dense_3_identity', 'dense_5']);
    const [x] = randomInputs(fixture, 32, 9);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 4), 'int32'), 4);
    grown.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    // The extras: columns 8..11 of the inserted kernel, their biases, and rows 8..11 of the consumer's kernel.
    const extras = () => {
      const [kernel, bias] = weightsOf(grown, 'dense_3_identity');
      const [consumer] = weightsOf(grown, 'dense_5');
      return [...Array.from(kernel!).filter((_, k) => k % 12 >= 8), ...bias!.subarray(8), ...consumer!.subarray(8 * 4)];
    };
    const all = () => added.flatMap((name) => weightsOf(grown, name).flatMap((w) => Array.from(w)));
    const [before, beforeAll] = [extras(), all()];
    await grown.trainOnBatch(x!, y);
    const [afterOne, afterOneAll] = [extras(), all()];
    await grown.trainOnBatch(x!, y);
    const afterTwo = extras();
    expect(afterOneAll.some((v, k) => v !== beforeAll[k])).toBe(true);
    expect(afterOne.slice(-16).every((v, k) => v !== before[before.length - 16 + k])).toBe(true);
    expect(afterTwo.every((v, k) => v !== before[k])).toBe(true);
    [model, grown, x!, y].forEach((t) => t.dispose());
  });
});
