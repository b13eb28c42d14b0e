import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistSeed } from './mnist-seed.js';

const weightsOf = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => w.dataSync().slice() as Float32Array);

describe('mnistSeed', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is Conv2D(32, 3, relu) → Flatten → Dense(20, relu) → Dense(10, softmax) on 28×28×1', () => {
    const model = mnistSeed();
    expect(model.inputs[0]?.shape).toEqual([null, 28, 28, 1]);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'Flatten', 'Dense', 'Dense']);
    expect(model.layers.map((l) => l.name)).toEqual(['conv', 'flatten', 'hidden', 'output']);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    expect(model.countParams()).toBe(3 * 3 * 32 + 32 + 26 * 26 * 32 * 20 + 20 + 20 * 10 + 10);
    model.dispose();
  });

  it('gives the same weights for the same seed and different ones for another seed', () => {
    const a = mnistSeed({ seed: 5 });
    const b = mnistSeed({ seed: 5 });
    const c = mnistSeed({ seed: 6 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('starts biases at zero unless random biases are asked for', () => {
    const zeros = mnistSeed({ seed: 3 });
    const random = mnistSeed({ seed: 3, biases: 'random' });
    const biases = (m: tf.LayersModel): Float32Array[] => weightsOf(m).filter((_, i) => i % 2 === 1);
    for (const bias of biases(zeros)) expect(bias.every((v) => v === 0)).toBe(true);
    for (const bias of biases(random)) {
      expect(bias.some((v) => v !== 0)).toBe(true);
      expect(bias.every((v) => Math.abs(v) <= 0.1)).toBe(true);
    }
    // The kernels do not depend on the bias choice.
    expect(weightsOf(zeros)[0]).toEqual(weightsOf(random)[0]);
    zeros.dispose();
    random.dispose();
  });
});
