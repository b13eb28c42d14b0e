import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeModel } from '../dispose.js';
import { LAYER_CASES, type LayerCase, NOT_COVERED } from '../test-support/layer-cases.js';
import { fromGraph } from './from-graph.js';
import { toGraph } from './to-graph.js';

type Form = 'sequential' | 'functional';

/** Every layer class tfjs registers for deserialisation, read from the registry rather than listed by hand. */
function registeredLayerClasses(): string[] {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, [unknown, unknown]>;
  return Object.keys(registry)
    .filter((name) => {
      const cls = registry[name]?.[0] as { prototype?: unknown } | undefined;
      return cls?.prototype instanceof tf.layers.Layer;
    })
    .sort();
}

function build(c: LayerCase, form: Form): tf.LayersModel {
  if (form === 'sequential') {
    return tf.sequential({ name: 'case_sequential', layers: [c.layer({ inputShape: [...c.inputShape] }), ...(c.then?.() ?? [])] });
  }
  const dtype = c.ids === undefined ? 'float32' : 'int32';
  const inputs = Array.from({ length: c.inputCount ?? 1 }, (_, i) => tf.input({ shape: [...c.inputShape], dtype, name: `case_input_${i}` }));
  let output = c.layer({}).apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor;
  for (const layer of c.then?.() ?? []) output = layer.apply(output) as tf.SymbolicTensor;
  return tf.model({ name: 'case_functional', inputs, outputs: output });
}

function inputsFor(c: LayerCase, form: Form): tf.Tensor[] {
  return Array.from({ length: c.inputCount ?? 1 }, (_, i) => {
    const shape = [3, ...c.inputShape];
    if (c.ids === undefined) return tf.randomUniform(shape, -1, 1, 'float32', 11 + i);
    // Zeros included, so a mask_zero Embedding masks some steps; Sequential inputs are float32 ids, as tfjs makes them.
    const ids = tf.randomUniformInt(shape, 0, c.ids, 11 + i);
    return form === 'sequential' ? tf.cast(ids, 'float32') : ids;
  });
}

function predictions(model: tf.LayersModel, inputs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

describe('the layer cases', () => {
  it('cover every layer class tfjs registers, or say why not', () => {
    const covered = new Set(LAYER_CASES.flatMap((c) => c.covers));
    const unaccounted = registeredLayerClasses().filter((name) => !covered.has(name) && NOT_COVERED[name] === undefined);
    expect(unaccounted).toEqual([]);
  });

  it('list as not covered only registered classes without a case', () => {
    const registered = new Set(registeredLayerClasses());
    const covered = new Set(LAYER_CASES.flatMap((c) => c.covers));
    for (const name of Object.keys(NOT_COVERED)) {
      expect(registered.has(name), `${name} is registered`).toBe(true);
      expect(covered.has(name), `${name} has no case`).toBe(false);
    }
  });
});

const runs = LAYER_CASES.flatMap((c) => (c.inputCount === undefined ? (['sequential', 'functional'] as const) : (['functional'] as const)).map((form) => [c.name, form, c] as const));

describe.each(runs)('%s (%s)', (_name, form, c) => {
  let model: tf.LayersModel;
  let inputs: tf.Tensor[];
  beforeAll(() => {
    model = build(c, form);
    inputs = inputsFor(c, form);
  });
  afterAll(() => {
    disposeModel(model);
    tf.dispose(inputs);
  });

  it('round-trips through toGraph and fromGraph bit for bit', async () => {
    const graph = toGraph(model);
    const rebuilt = await fromGraph(graph);
    try {
      expect(rebuilt.getClassName()).toBe(model.getClassName());
      expect(toGraph(rebuilt)).toEqual(graph);
      const before = predictions(model, inputs);
      const after = predictions(rebuilt, inputs);
      expect(after.map((values) => Array.from(values))).toEqual(before.map((values) => Array.from(values)));
    } finally {
      disposeModel(rebuilt);
    }
  });
});
