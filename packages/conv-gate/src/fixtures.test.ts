import * as tf from '@tensorflow/tfjs';
import { findSites, grow } from '@graft/core';
import { fixtures, maxAbsDiff, predictAll, randomInputs } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGate } from './conv-gate.js';
import { GATES } from './options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Every fixture at every offered site, every gate: the grown model must predict bit for bit the same, leave the
// source model's weights alone and leak no tensors.
describe('conv-gate on every fixture', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const model = fixture.build();
    const inputs = randomInputs(fixture, 2, 13);
    const before = predictAll(model, inputs);
    const weightsBefore = model.getWeights().map((w) => Array.from(w.dataSync()));
    const tensorsBefore = tf.memory().numTensors;
    for (const gate of GATES) {
      for (const after of findSites(model, convGate({ gate }))) {
        const { model: grown } = await grow(model, convGate({ gate }), { after });
        expect({ gate, after, diff: maxAbsDiff(before, predictAll(grown, inputs)) }).toEqual({ gate, after, diff: 0 });
        grown.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsBefore);
    model.dispose();
    inputs.forEach((t) => t.dispose());
  });
});
