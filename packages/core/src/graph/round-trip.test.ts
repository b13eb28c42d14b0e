import * as tf from '@tensorflow/tfjs';
import { fixtures, getFixture, maxAbsDiff, predictAll, randomInputs } from '@graft/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeModel } from '../dispose.js';
import { GraftError } from '../errors.js';
import { fromGraph } from './from-graph.js';
import { toGraph } from './to-graph.js';

describe.each(fixtures.map((f) => [f.name, f] as const))('round trip of %s', (_name, fixture) => {
  let model: tf.LayersModel;
  beforeAll(() => {
    model = fixture.build();
  });
  afterAll(() => model.dispose());

  it('rebuilds a model with bit-identical predictions and weights', async () => {
    const rebuilt = await fromGraph(toGraph(model));
    const inputs = randomInputs(fixture, 5);
    expect(maxAbsDiff(predictAll(model, inputs), predictAll(rebuilt, inputs))).toBe(0);
    const original = model.getWeights().map((w) => Array.from(w.dataSync()));
    const copied = rebuilt.getWeights().map((w) => Array.from(w.dataSync()));
    expect(copied).toEqual(original);
    expect(rebuilt.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(rebuilt.getClassName()).toBe(model.getClassName());
    inputs.forEach((t) => t.dispose());
    rebuilt.dispose();
  });

  it('describes every layer with its shapes and connections', () => {
    const graph = toGraph(model);
    for (const layer of model.layers) {
      const node = graph.nodes.find((n) => n.name === layer.name);
      expect(node, layer.name).toBeDefined();
      expect(node!.className).toBe(layer.getClassName());
      expect(node!.outputShapes?.length).toBeGreaterThan(0);
    }
    expect(graph.inputs.length).toBe(fixture.inputShapes.length);
    expect(Object.isFrozen(graph)).toBe(true);
    expect(Object.isFrozen(graph.nodes)).toBe(true);
  });
});

describe('toGraph', () => {
  it('records a shared layer as one node with two calls', () => {
    const model = fixtures.find((f) => f.name === 'shared-layer')!.build();
    const node = toGraph(model).nodes.find((n) => n.name === 'dense_1')!;
    expect(node.inbound.map((call) => call.map((r) => r.layer))).toEqual([['a'], ['b']]);
    expect(node.outputShapes).toHaveLength(2);
    model.dispose();
  });

  it('refuses nested models with NESTED_MODEL', () => {
    const inner = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const outer = tf.sequential({ layers: [inner, tf.layers.dense({ units: 1 })] });
    expect(() => toGraph(outer)).toThrowError(expect.objectContaining({ code: 'NESTED_MODEL' }) as unknown);
    try {
      toGraph(outer);
    } catch (error) {
      expect(error).toBeInstanceOf(GraftError);
      expect((error as Error).message).not.toContain('\n');
    }
    outer.dispose();
  });

  it('copies weights: changing the model later does not change the graph', () => {
    const model = fixtures[0]!.build();
    const graph = toGraph(model);
    const before = Array.from(graph.nodes[1]!.weights[0]!.values);
    const layer = model.layers[0]!;
    const zeros = layer.getWeights().map((w) => tf.zerosLike(w));
    layer.setWeights(zeros);
    zeros.forEach((t) => t.dispose());
    expect(Array.from(graph.nodes[1]!.weights[0]!.values)).toEqual(before);
    model.dispose();
  });

  it('keeps userDefinedMetadata', async () => {
    const model = fixtures[0]!.build();
    model.setUserDefinedMetadata({ owner: 'test' });
    const rebuilt = await fromGraph(toGraph(model));
    expect(rebuilt.getUserDefinedMetadata()).toEqual({ owner: 'test' });
    model.dispose();
    rebuilt.dispose();
  });
});

describe('fromGraph', () => {
  it('refuses a graph whose weights do not fit', async () => {
    const model = fixtures[0]!.build();
    const graph = toGraph(model);
    const broken = { ...graph, nodes: graph.nodes.map((n, i) => (i === 1 ? { ...n, weights: n.weights.slice(0, 1) } : n)) };
    await expect(fromGraph(broken)).rejects.toMatchObject({ code: 'INVALID_GRAPH' });
    model.dispose();
  });

  it('refuses duplicate layer names', async () => {
    const model = fixtures[0]!.build();
    const graph = toGraph(model);
    const dup = { ...graph, nodes: [...graph.nodes, { ...graph.nodes[1]! }] };
    await expect(fromGraph(dup)).rejects.toMatchObject({ code: 'DUPLICATE_LAYER' });
    model.dispose();
  });

  it('refuses connections to layers that do not exist', async () => {
    const model = fixtures[0]!.build();
    const graph = toGraph(model);
    const dangling = { ...graph, outputs: [{ layer: 'nowhere', node: 0, tensor: 0 }] };
    await expect(fromGraph(dangling)).rejects.toMatchObject({ code: 'INVALID_GRAPH' });
    model.dispose();
  });
});

describe('fromGraph of a live model', () => {
  /** A model, a batch of inputs, and what the model predicts for them before anything changes. */
  const liveModel = () => {
    const fixture = getFixture('dense-chain-relu');
    const model = fixture.build();
    const inputs = randomInputs(fixture, 4);
    return { model, inputs, expected: predictAll(model, inputs) };
  };

  it('shares the weight data the source still holds instead of copying it, and stays independent of it', async () => {
    const { model, inputs, expected } = liveModel();
    // tfjs counts bytes per tensor, so shared data shows as new buffers not made rather than as bytes.
    const before = tf.memory().numDataBuffers;
    const rebuilt = await fromGraph(toGraph(model));
    expect(tf.memory().numDataBuffers - before).toBe(0);

    const zeros = model.layers.map((layer) => layer.getWeights().map((w) => tf.zerosLike(w)));
    model.layers.forEach((layer, i) => layer.setWeights(zeros[i]!));
    tf.dispose(zeros.flat());
    expect(predictAll(rebuilt, inputs)).toEqual(expected);
    disposeModel(model);
    expect(predictAll(rebuilt, inputs)).toEqual(expected);
    disposeModel(rebuilt);
    tf.dispose(inputs);
  });

  it('copies a weight whose source changed since the graph was read', async () => {
    const { model, inputs, expected } = liveModel();
    const graph = toGraph(model);
    const zeros = model.layers[0]!.getWeights().map((w) => tf.zerosLike(w));
    model.layers[0]!.setWeights(zeros);
    tf.dispose(zeros);
    const rebuilt = await fromGraph(graph);
    expect(predictAll(rebuilt, inputs)).toEqual(expected);
    disposeModel(rebuilt);
    disposeModel(model);
    tf.dispose(inputs);
  });
});

describe('fromGraph of a layer added without weights', () => {
  it('runs that layer\'s initialisers, as NewLayer promises, instead of leaving fast-initialised zeros', async () => {
    const model = getFixture('dense-chain-relu').build();
    const graph = toGraph(model);
    const added = {
      name: 'fresh',
      className: 'Dense',
      config: { name: 'fresh', units: 4, activation: 'linear', use_bias: true, kernel_initializer: { class_name: 'Ones', config: {} } },
      inbound: [[{ layer: graph.nodes[graph.nodes.length - 1]!.name, node: 0, tensor: 0 }]],
      weights: [],
      outputShapes: undefined,
    };
    const rebuilt = await fromGraph({ ...graph, kind: 'functional', nodes: [...graph.nodes, added], outputs: [{ layer: 'fresh', node: 0, tensor: 0 }] } as unknown as Parameters<typeof fromGraph>[0]);
    expect(Array.from(rebuilt.getLayer('fresh').getWeights()[0]!.dataSync()).every((v) => v === 1)).toBe(true);
    disposeModel(rebuilt);
    disposeModel(model);
  });
});
