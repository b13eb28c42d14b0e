import * as tf from '@tensorflow/tfjs';
import { getFixture, mnistReferenceModel, randomInputs } from '@graft/fixtures';
import type { Fixture } from '@graft/fixtures';
import { grow, toGraph } from '@graft/core';
import type { StrategyOptions, SurgeryStrategy, WeightValue } from '@graft/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widen } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Largest |a − b| over every output, divided by the largest |a| (outputs are probabilities or activations). */
function relativeDiff(a: tf.Tensor | tf.Tensor[], b: tf.Tensor | tf.Tensor[]): number {
  const left = Array.isArray(a) ? a : [a];
  const right = Array.isArray(b) ? b : [b];
  let diff = 0;
  let scale = 0;
  left.forEach((t, i) => {
    const x = t.dataSync();
    const y = right[i]!.dataSync();
    expect(y.length).toBe(x.length);
    x.forEach((v, k) => {
      diff = Math.max(diff, Math.abs(v - y[k]!));
      scale = Math.max(scale, Math.abs(v));
    });
  });
  return diff / scale;
}

interface Grown {
  readonly model: tf.LayersModel;
  readonly grown: tf.LayersModel;
  readonly added: string[];
  /** Relative difference of predictions on seeded inputs. */
  readonly diff: number;
}

const built = new Set<tf.LayersModel>();
afterAll(() => built.forEach((m) => m.dispose()));

/** Options are given per call, as the CLI gives them (text allowed), to a strategy typed without options. */
async function widenModel(model: tf.LayersModel, fixture: Pick<Fixture, 'inputShapes' | 'tags'>, after: string, options?: StrategyOptions): Promise<Grown> {
  const untyped: SurgeryStrategy = widen();
  const { model: grown, added } = await grow(model, untyped, { after }, options);
  built.add(model).add(grown);
  const inputs = randomInputs(fixture, 8, 7);
  const before = model.predict(inputs);
  const after_ = grown.predict(inputs);
  const diff = relativeDiff(before, after_);
  tf.dispose([inputs, before, after_]);
  return { model, grown, added, diff };
}

const unitsOf = (model: tf.LayersModel, layer: string): number => {
  const config = model.getLayer(layer).getConfig();
  return Number(config['units'] ?? config['filters']);
};

describe('widen keeps the function', () => {
  it('Dense → Dense: widens 8 → 12 and rescales the next Dense', async () => {
    const fixture = getFixture('dense-chain-tanh');
    const { grown, added, diff } = await widenModel(fixture.build(), fixture, 'dense_1', { units: 12 });
    expect(added).toEqual(['dense_1']);
    expect(unitsOf(grown, 'dense_1')).toBe(12);
    expect(grown.getLayer('dense_3').getWeights()[0]!.shape).toEqual([12, 8]);
    expect(diff).toBeLessThan(1e-5);
  });

  it('Conv2D → Conv2D (strided, valid padding)', async () => {
    const fixture = getFixture('conv-valid-strides');
    const { grown, diff } = await widenModel(fixture.build(), fixture, 'conv_1', { units: 7 });
    expect(unitsOf(grown, 'conv_1')).toBe(7);
    expect(grown.getLayer('conv_3').getWeights()[0]!.shape).toEqual([3, 3, 7, 5]);
    expect(diff).toBeLessThan(1e-5);
  });

  it('Conv2D → Flatten → Dense after a strided conv (the default width: n + ceil(n / 2))', async () => {
    const fixture = getFixture('conv-valid-strides');
    const { grown, diff } = await widenModel(fixture.build(), fixture, 'conv_3');
    expect(unitsOf(grown, 'conv_3')).toBe(8);
    expect(diff).toBeLessThan(1e-5);
  });

  it('Conv2D → MaxPool → Conv2D → GlobalAveragePooling → Dense', async () => {
    const fixture = getFixture('conv-same-padding-pooling');
    for (const after of ['conv_1', 'conv_3']) {
      const { diff } = await widenModel(fixture.build(), fixture, after, { factor: 2 });
      expect(diff).toBeLessThan(1e-5);
    }
  });

  it('Conv2D → BatchNorm → Activation → Dropout → AvgPool → Flatten → Dense, and Dense → BatchNorm → Dense', async () => {
    const fixture = getFixture('conv-batchnorm-dropout');
    const conv = await widenModel(fixture.build(), fixture, 'conv_1', { units: 9 });
    expect(conv.grown.getLayer('conv_bn').getWeights().map((w) => w.shape)).toEqual([[9], [9], [9], [9]]);
    expect(conv.grown.getLayer('dense_3').getWeights()[0]!.shape).toEqual([4 * 4 * 9, 8]);
    expect(conv.diff).toBeLessThan(1e-5);
    const dense = await widenModel(fixture.build(), fixture, 'dense_3', { units: 16 });
    expect(dense.diff).toBeLessThan(1e-5);
  });

  it('Conv2D → BatchNorm → Activation → Conv2D', async () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'conv', biasInitializer: 'glorotUniform' }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(conv) as tf.SymbolicTensor;
    const act = tf.layers.activation({ activation: 'elu', name: 'act' }).apply(bn) as tf.SymbolicTensor;
    const next = tf.layers.conv2d({ filters: 4, kernelSize: 2, name: 'next' }).apply(act) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: next });
    // Fresh BatchNorm weights are the identity, which would hide a wrongly copied statistic.
    const bnLayer = model.getLayer('bn');
    bnLayer.setWeights(bnLayer.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 2, 'float32', 40 + i)));
    const { grown, diff } = await widenModel(model, { inputShapes: [[6, 6, 2]], tags: [] }, 'conv', { units: 7, seed: 3 });
    expect(grown.getLayer('next').getWeights()[0]!.shape).toEqual([2, 2, 7, 4]);
    expect(diff).toBeLessThan(1e-5);
  });

  it('a Dense read by two Dense layers rescales both', async () => {
    const fixture = getFixture('multi-input-multi-output');
    const { grown, diff } = await widenModel(fixture.build(), fixture, 'dense_5', { units: 13 });
    expect(grown.getLayer('dense_7').getWeights()[0]!.shape).toEqual([13, 3]);
    expect(grown.getLayer('dense_9').getWeights()[0]!.shape).toEqual([13, 1]);
    expect(diff).toBeLessThan(1e-5);
  });

  it('the MNIST reference model: conv 32 → 48, then hidden 20 → 30, predictions equal within 1e-5', async () => {
    const fixture = getFixture('mnist-reference');
    const model = mnistReferenceModel(1);
    const first = await widenModel(model, fixture, 'conv');
    expect(unitsOf(first.grown, 'conv')).toBe(48);
    expect(first.grown.getLayer('hidden').getWeights()[0]!.shape).toEqual([26 * 26 * 48, 20]);
    expect(first.diff).toBeLessThan(1e-5);
    const second = await widenModel(first.grown, fixture, 'hidden', { units: '30' });
    expect(unitsOf(second.grown, 'hidden')).toBe(30);
    const inputs = randomInputs(fixture, 8, 11);
    const [a, b] = [model.predict(inputs) as tf.Tensor, second.grown.predict(inputs) as tf.Tensor];
    expect(relativeDiff(a, b)).toBeLessThan(1e-5);
    tf.dispose([inputs, a, b]);
  });
});

describe('widen is seeded', () => {
  const kernelsOf = (graph: ReturnType<typeof toGraph>, layer: string): WeightValue[] => [...graph.nodes.find((n) => n.name === layer)!.weights];

  it('the same seed gives the same weights; another seed chooses other units', () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    model.dispose();
    const run = (seed: number) => widen({ units: 16, seed }).apply(graph, { after: 'dense_1' }).graph;
    const [a, b, c] = [run(5), run(5), run(6)];
    expect(kernelsOf(a, 'dense_1')).toEqual(kernelsOf(b, 'dense_1'));
    expect(kernelsOf(a, 'dense_3')).toEqual(kernelsOf(b, 'dense_3'));
    expect(kernelsOf(a, 'dense_1')[0]!.values).not.toEqual(kernelsOf(c, 'dense_1')[0]!.values);
  });

  it('does not change the graph it was given', () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    model.dispose();
    const copy = structuredClone(graph.nodes.map((n) => n.weights.map((w) => Array.from(w.values))));
    widen({ units: 16 }).apply(graph, { after: 'dense_1' });
    expect(graph.nodes.map((n) => n.weights.map((w) => Array.from(w.values)))).toEqual(copy);
  });
});

describe('widen with noise', () => {
  it('moves only the new units’ incoming weights, each by at most noise · |w|, and changes outputs a little', async () => {
    const fixture = getFixture('dense-chain-tanh');
    const noise = 0.05;
    const exact = await widenModel(fixture.build(), fixture, 'dense_1', { units: 12, seed: 2 });
    const noisy = await widenModel(fixture.build(), fixture, 'dense_1', { units: 12, seed: 2, noise: String(noise) });
    const [k0, b0] = exact.grown.getLayer('dense_1').getWeights().map((w) => w.arraySync() as number[] | number[][]);
    const [k1, b1] = noisy.grown.getLayer('dense_1').getWeights().map((w) => w.arraySync() as number[] | number[][]);
    const rows = [...(k0 as number[][]).map((row, r) => [row, (k1 as number[][])[r]!]), [b0 as number[], b1 as number[]]] as [number[], number[]][];
    let moved = 0;
    for (const [before, after] of rows) {
      before.forEach((w, j) => {
        const change = Math.abs(after[j]! - w);
        if (j < 8) expect(change).toBe(0);
        expect(change).toBeLessThanOrEqual(noise * Math.abs(w) + 1e-7);
        if (change > 0) moved++;
      });
    }
    expect(moved).toBeGreaterThan(0);
    expect(noisy.diff).toBeGreaterThan(1e-6);
    expect(noisy.diff).toBeLessThan(0.1);
  });
});

describe('widen next to a shared layer', () => {
  it('widens the Dense after a merge of a shared layer’s two calls', async () => {
    const fixture = getFixture('shared-layer');
    const { grown, diff } = await widenModel(fixture.build(), fixture, 'dense_3', { units: 8 });
    expect(unitsOf(grown, 'dense_3')).toBe(8);
    expect(diff).toBeLessThan(1e-5);
  });
});
