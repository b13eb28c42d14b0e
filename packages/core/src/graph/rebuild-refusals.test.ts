import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { disposeModel } from '../dispose.js';
import { grow } from '../grow.js';
import type { SurgeryStrategy } from '../strategy.js';
import { replaceLayer } from '../surgery/surgery.js';
import { linearIdentityForTests } from '../test-support/identity-strategy.js';
import { toGraph } from './to-graph.js';

/** A custom layer that multiplies by a factor its config forgets, as hand-written layers often do. */
class ForgetfulScale extends tf.layers.Layer {
  static className = 'GraftTestForgetfulScale';
  private readonly factor: number;
  constructor(args: { factor?: number; name?: string }) {
    super(args);
    if (typeof args.factor !== 'number') throw new Error('ForgetfulScale needs a numeric factor.');
    this.factor = args.factor;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, this.factor));
  }
}
tf.serialization.registerClass(ForgetfulScale);

/** A custom layer nobody registered: it serialises, but tfjs cannot find its class again. */
class UnregisteredScale extends tf.layers.Layer {
  static className = 'GraftTestUnregisteredScale';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2));
  }
}

function modelWith(custom: tf.layers.Layer): tf.LayersModel {
  const input = tf.input({ shape: [4], name: 'x' });
  const hidden = tf.layers.dense({ units: 4, name: 'hidden' }).apply(input) as tf.SymbolicTensor;
  return tf.model({ name: 'custom', inputs: input, outputs: custom.apply(hidden) as tf.SymbolicTensor });
}

const expectOneLine = (error: unknown): void => expect((error as Error).message).not.toContain('\n');

describe('a model graft cannot rebuild', () => {
  it('is refused by toGraph with UNSUPPORTED_MODEL when a class is not registered', async () => {
    const model = modelWith(new UnregisteredScale({ name: 'doubled' }));
    const error = (() => {
      try {
        toGraph(model);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MODEL', message: expect.stringContaining('Layer "doubled" is of class GraftTestUnregisteredScale') as unknown });
    expectOneLine(error);
    await expect(grow(model, linearIdentityForTests(), { after: 'hidden' })).rejects.toMatchObject({ code: 'UNSUPPORTED_MODEL' });
    disposeModel(model);
  });

  it('is refused by toGraph with UNSUPPORTED_MODEL when a layer uses a setting tfjs cannot run (causal Conv1D)', () => {
    const causal = (padding: 'causal' | 'same') =>
      tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [16, 4], filters: 8, kernelSize: 3, padding, name: 'c1' }), tf.layers.flatten({ name: 'f' })] });
    const model = causal('causal');
    expect(() => toGraph(model)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MODEL', message: expect.stringContaining(`Layer "c1" (Conv1D) uses padding 'causal'`) as unknown }));
    disposeModel(model);
    // The same layer with padding tfjs runs is read as usual (the refusal is about the setting, not the class).
    const same = causal('same');
    expect(toGraph(same).nodes.map((node) => node.name)).toContain('c1');
    disposeModel(same);
  });

  it('is refused by grow with UNSUPPORTED_MODEL when its own config does not rebuild', async () => {
    const model = modelWith(new ForgetfulScale({ factor: 3, name: 'scaled' }));
    const error = await grow(model, linearIdentityForTests(), { after: 'hidden' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MODEL', message: expect.stringContaining('ForgetfulScale needs a numeric factor') as unknown });
    expectOneLine(error);
    disposeModel(model);
  });
});

describe('a strategy that builds a graph tfjs refuses', () => {
  it('is reported as INVALID_GRAPH when the source model rebuilds fine', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], name: 'first' }), tf.layers.dense({ units: 2, name: 'second' })] });
    const broken: SurgeryStrategy = {
      name: 'broken-units',
      description: 'Sets a negative unit count (test only).',
      findSites: () => ['first'],
      apply: (graph) => ({ graph: replaceLayer(graph, 'second', { config: { ...graph.nodes[2]!.config, units: -1 }, weights: [] }), added: ['second'] }),
    };
    await expect(grow(model, broken, { after: 'first' })).rejects.toMatchObject({ code: 'INVALID_GRAPH' });
    disposeModel(model);
  });
});
