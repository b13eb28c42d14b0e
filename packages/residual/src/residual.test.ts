import * as tf from '@tensorflow/tfjs';
import { toGraph } from '@graft/core';
import { saveModel } from '@graft/core/node';
import { checkLiveness } from '@graft/conformance';
import { expectExactAtEverySite, growFixture } from '@graft/conformance/testing';
import { fixtures, getFixture, maxAbsDiff, mnistReferenceModel, predictAll, saveAndLoadPlain } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { residual } from './residual.js';

const weightsOf = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));
const changed = (a: number[][], b: number[][]) => a.some((w, i) => w.some((v, j) => v !== b[i]![j]));

describe('residual', () => {
  // Every fixture at every offered site, with a bounded and an unbounded activation: bit for bit the same
  // predictions, the source model untouched, no tensors leaked.
  it.each(fixtures.map((f) => [f.name, f] as const))('is exact at every site of %s', async (_name, fixture) => {
    await expectExactAtEverySite(fixture, { relu: residual({ activation: 'relu' }), tanh: residual({ activation: 'tanh' }) });
  });

  it('builds Dense → zero Dense → Add at rank 2 and Conv2D k×k → zero Conv2D 1×1 → Add at rank 4', () => {
    const model = getFixture('functional-conv-residual').build();
    const graph = toGraph(model);
    const dense = residual({ hidden: 5 }).apply(graph, { after: 'global_max_pool' });
    const conv = residual({ hidden: 7, kernelSize: 5 }).apply(graph, { after: 'add' });
    const layer = (g: typeof graph, name: string) => g.nodes.find((n) => n.name === name)!;
    expect(dense.added).toEqual(['global_max_pool_branch', 'global_max_pool_branch_out', 'global_max_pool_residual']);
    expect(layer(dense.graph, 'global_max_pool_branch').weights.map((w) => w.shape)).toEqual([[4, 5], [5]]);
    expect(layer(dense.graph, 'global_max_pool_branch_out').weights.map((w) => w.shape)).toEqual([[5, 4], [4]]);
    expect(conv.added).toEqual(['add_branch', 'add_branch_out', 'add_residual']);
    expect(layer(conv.graph, 'add_branch').weights.map((w) => w.shape)).toEqual([[5, 5, 4, 7], [7]]);
    expect(layer(conv.graph, 'add_branch_out').weights.map((w) => w.shape)).toEqual([[1, 1, 7, 4], [4]]);
    expect(layer(conv.graph, 'add_branch_out').weights.every((w) => w.values.every((v) => v === 0))).toBe(true);
    expect(layer(conv.graph, 'add_residual').inbound).toEqual([[{ layer: 'add', node: 0, tensor: 0 }, { layer: 'add_branch_out', node: 0, tensor: 0 }]]);
    model.dispose();
  });

  it('caps the default width of the branch on wide flattened features, and gives one-feature sites a pair', () => {
    const model = mnistReferenceModel();
    const { graph } = residual().apply(toGraph(model), { after: 'flatten' });
    expect(graph.nodes.find((n) => n.name === 'flatten_branch')!.weights[0]!.shape).toEqual([21632, 256]);
    const narrow = residual().apply(toGraph(model), { after: 'hidden' });
    expect(narrow.graph.nodes.find((n) => n.name === 'hidden_branch')!.weights[0]!.shape).toEqual([20, 20]);
    model.dispose();
    const head = getFixture('multi-input-multi-output').build();
    const wide = residual().apply(toGraph(head), { after: 'dense_9' }).graph;
    expect(wide.nodes.find((n) => n.name === 'dense_9_branch')!.weights[0]!.shape).toEqual([1, 2]);
    head.dispose();
  });

  it('is reproducible from its seed', () => {
    const model = getFixture('dense-chain-relu').build();
    const kernel = (seed: number) => residual({ seed }).apply(toGraph(model), { after: 'dense_1' }).graph.nodes.find((n) => n.name === 'dense_1_branch')!.weights[0]!.values;
    expect(kernel(4)).toEqual(kernel(4));
    expect(kernel(4)).not.toEqual(kernel(5));
    model.dispose();
  });

  it.each([
    ['dense-chain-tanh', 'dense_3'],
    ['conv-same-padding-pooling', 'conv_1'],
  ])('%s: the zero layer moves at step 1, the first layer by step 2', async (name, after) => {
    const { grown, inputs, dispose } = await growFixture(name, residual(), after, { seed: 5 });
    const classes = grown.outputs[0]!.shape[1] as number;
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1].map((c) => c % classes), 'int32'), classes);
    grown.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const start = { first: weightsOf(grown, `${after}_branch`), last: weightsOf(grown, `${after}_branch_out`) };
    await grown.trainOnBatch(inputs[0]!, ys);
    expect(changed(start.last, weightsOf(grown, `${after}_branch_out`))).toBe(true);
    // Exactly one zero factor: the first layer's gradient passes through the zero layer, so it waits one step.
    expect(changed(start.first, weightsOf(grown, `${after}_branch`))).toBe(false);
    await grown.trainOnBatch(inputs[0]!, ys);
    expect(changed(start.first, weightsOf(grown, `${after}_branch`))).toBe(true);
    dispose();
    ys.dispose();
  });

  it('mirrors the first kernel in pairs, so one relu unit of each pair is active for every input', async () => {
    const { grown, inputs, dispose } = await growFixture('conv-same-padding-pooling', residual({ hidden: 5 }), 'global_avg_pool', { samples: 16, seed: 3 });
    const kernel = grown.getLayer('global_avg_pool_branch').getWeights()[0]!.arraySync() as number[][];
    for (const row of kernel) expect([row[2], row[3]]).toEqual([-row[0]!, -row[1]!]);
    const probe = tf.model({ inputs: grown.inputs, outputs: grown.getLayer('global_avg_pool_branch').output });
    const hidden = (probe.predict(inputs[0]!) as tf.Tensor).arraySync() as number[][];
    for (const units of hidden) expect(units[0]! > 0 || units[2]! > 0).toBe(true);
    dispose();
  });

  // Regression: with an unmirrored kernel only one of six relu units was active on these pooled (non-negative)
  // features, and the trunk's first SGD step switched it off, so the branch's first layer never learned.
  it('keeps a relu branch alive on pooled features while the trunk trains too (conformance liveness rule)', async () => {
    const { grown, added, inputs, dispose } = await growFixture('conv-same-padding-pooling', residual(), 'global_avg_pool');
    const result = await checkLiveness(grown, added, inputs, { seed: 1 });
    expect(result.message).toMatch(/^Every added weight learns/);
    dispose();
  });

  it.each([
    ['dense-chain-relu', 'dense_3'],
    ['conv-same-padding-pooling', 'conv_1'],
  ])('%s: the saved model loads with plain tf.loadLayersModel and predicts the same', async (name, after) => {
    const { source, grown, inputs, dispose } = await growFixture(name, residual({ activation: 'gelu' }), after, { samples: 2, seed: 9 });
    const loaded = await saveAndLoadPlain(grown, saveModel);
    expect(loaded.getLayer(`${after}_residual`).getClassName()).toBe('Add');
    expect(maxAbsDiff(predictAll(source, inputs), predictAll(loaded, inputs))).toBe(0);
    loaded.dispose();
    dispose();
  });
});
