import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { silenceTfjsBanner } from '../backend/silence-banner.js';
import { buildReferenceModel } from './reference-model.js';

describe('buildReferenceModel', () => {
  silenceTfjsBanner();

  it('is Conv2D(32, 3, relu) → Flatten → Dense(20, relu) → Dense(10, softmax) on 28×28×1', async () => {
    await tf.setBackend('cpu');
    const model = buildReferenceModel();
    expect(model.inputs[0]?.shape).toEqual([null, 28, 28, 1]);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'Flatten', 'Dense', 'Dense']);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    expect(model.countParams()).toBe(3 * 3 * 32 + 32 + 26 * 26 * 32 * 20 + 20 + 20 * 10 + 10);
    model.dispose();
  });

  it('gives the same weights for the same seed and different ones for another seed', async () => {
    await tf.setBackend('cpu');
    const kernel = (seed: number): Float32Array => {
      const model = buildReferenceModel({ seed });
      const values = model.getWeights()[0]!.dataSync().slice() as Float32Array;
      model.dispose();
      return values;
    };
    expect(kernel(5)).toEqual(kernel(5));
    expect(kernel(5)).not.toEqual(kernel(6));
  });
});
