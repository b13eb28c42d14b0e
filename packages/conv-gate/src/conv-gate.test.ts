import * as tf from '@tensorflow/tfjs';
import { grow, toGraph, fromGraph } from '@graft/core';
import { saveModel } from '@graft/core/node';
import { getFixture, maxAbsDiff, mnistReferenceModel, predictAll, randomInputs, saveAndLoadPlain } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { allOnesGate } from './bench/all-ones-gate.js';
import { convGate } from './conv-gate.js';
import { GATES, type GateKind } from './options.js';

// A small conv fixture keeps the CPU cost low; the MNIST reference model is used where its shape matters.
const fixture = getFixture('conv-same-padding-pooling');
const SITE = 'conv_1';

/** What each gate's conv outputs at insertion: the merge layers turn it into a factor of exactly 1. */
const GATE_VALUE: Readonly<Record<GateKind, number>> = { relu: 1, linear: 1, tanh: 0, sigmoid: 0.5 };

describe('convGate', () => {
  it.each(GATES.map((g) => [g]))('%s: the grown model predicts bit for bit what the trained one did', async (gate) => {
    const model = fixture.build();
    const inputs = randomInputs(fixture, 4, 7);
    const { model: grown, added } = await grow(model, convGate({ gate }), { after: SITE });
    expect(added[0]).toBe('conv_1_gate');
    expect(added[added.length - 1]).toBe('conv_1_gated');
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(grown, inputs))).toBe(0);
    [model, grown].forEach((m) => m.dispose());
    inputs.forEach((t) => t.dispose());
  });

  it.each(GATES.map((g) => [g]))('%s: the gate is a constant (g(x) ≡ 1 after the merges) and y ≡ x exactly', async (gate) => {
    const model = fixture.build();
    const { model: grown } = await grow(model, convGate({ gate }), { after: SITE });
    const probe = tf.model({ inputs: grown.inputs, outputs: [grown.getLayer(SITE).output, grown.getLayer('conv_1_gate').output, grown.getLayer('conv_1_gated').output] as tf.SymbolicTensor[] });
    const [input] = randomInputs(fixture, 3, 11);
    const [x, g, y] = (probe.predict(input!) as tf.Tensor[]).map((t) => t.dataSync());
    expect(new Set(g)).toEqual(new Set([GATE_VALUE[gate]]));
    expect(Array.from(y!)).toEqual(Array.from(x!));
    [model, grown].forEach((m) => m.dispose());
    input!.dispose();
  });

  it('is exact on the MNIST reference model after its conv layer', async () => {
    const model = mnistReferenceModel();
    const inputs = randomInputs(getFixture('mnist-reference'), 2, 3);
    const { model: grown } = await grow(model, convGate(), { after: 'conv' });
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(grown, inputs))).toBe(0);
    [model, grown].forEach((m) => m.dispose());
    inputs.forEach((t) => t.dispose());
  });

  it("known-bad: the write-up's all-ones kernel is not function-preserving", async () => {
    const model = fixture.build();
    const inputs = randomInputs(fixture, 4, 7);
    const damaged = await fromGraph(allOnesGate(toGraph(model), SITE).graph);
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(damaged, inputs))).toBeGreaterThan(1e-3);
    [model, damaged].forEach((m) => m.dispose());
    inputs.forEach((t) => t.dispose());
  });

  it.each(GATES.map((g) => [g]))('%s: the gate kernel moves at the first optimizer step', async (gate) => {
    const model = fixture.build();
    const { model: grown } = await grow(model, convGate({ gate }), { after: SITE });
    const kernel = () => Array.from(grown.getLayer('conv_1_gate').getWeights()[0]!.dataSync());
    expect(kernel().every((v) => v === 0)).toBe(true);
    const [xs] = randomInputs(fixture, 8, 5);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    grown.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    await grown.trainOnBatch(xs!, ys);
    const moved = kernel().reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(moved).toBeGreaterThan(1e-7);
    [model, grown].forEach((m) => m.dispose());
    [xs!, ys].forEach((t) => t.dispose());
  });

  it.each(GATES.map((g) => [g]))('%s: the saved model loads with plain tf.loadLayersModel and predicts the same', async (gate) => {
    const model = fixture.build();
    const inputs = randomInputs(fixture, 2, 9);
    const { model: grown } = await grow(model, convGate({ gate, kernelSize: 5 }), { after: SITE });
    const loaded = await saveAndLoadPlain(grown, saveModel);
    expect(loaded.getLayer('conv_1_gate').getWeights()[0]!.shape).toEqual([5, 5, 4, 4]);
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(loaded, inputs))).toBe(0);
    [model, grown, loaded].forEach((m) => m.dispose());
    inputs.forEach((t) => t.dispose());
  });

  it('names repeated gates uniquely and keeps the first gate working', async () => {
    const model = fixture.build();
    const inputs = randomInputs(fixture, 2, 9);
    const first = await grow(model, convGate(), { after: SITE });
    const second = await grow(first.model, convGate({ gate: 'tanh' }), { after: SITE });
    expect(second.added).toEqual(['conv_1_gate_2', 'conv_1_gate_product', 'conv_1_gated_2']);
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(second.model, inputs))).toBe(0);
    [model, first.model, second.model].forEach((m) => m.dispose());
    inputs.forEach((t) => t.dispose());
  });
});
