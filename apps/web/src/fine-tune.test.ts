import * as tf from '@tensorflow/tfjs';
import { mnistSeed } from '@graft/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fineTune, stepsOf } from './fine-tune.js';
import type { SliceSplit } from './slice.js';

// A made-up split of 10 "images" whose pixels encode their index, so batches can be traced back.
const split: SliceSplit = {
  size: 10,
  images: Uint8Array.from({ length: 10 * 784 }, (_, i) => Math.floor(i / 784) * 10),
  labels: Uint8Array.from({ length: 10 }, (_, i) => i % 10),
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('stepsOf', () => {
  it('yields exactly `steps` batches, wrapping around the split, as [n, 28, 28, 1] images in [0, 1] and one-hot labels', () => {
    const batches = [...(stepsOf(split, 4, 4).batches(4) as Iterable<{ xs: tf.Tensor; ys: tf.Tensor }>)];
    expect(batches).toHaveLength(4);
    expect(batches.map((b) => b.xs.shape)).toEqual([[4, 28, 28, 1], [4, 28, 28, 1], [2, 28, 28, 1], [4, 28, 28, 1]]);
    const firstPixel = batches.map((b) => Math.round((b.xs.dataSync()[0] ?? 0) * 255));
    expect(firstPixel).toEqual([0, 40, 80, 20]); // images 0, 4, 8, then 12 % 10 = 2
    expect(Array.from(batches[1]!.ys.argMax(-1).dataSync())).toEqual([4, 5, 6, 7]);
    batches.forEach((b) => tf.dispose([b.xs, b.ys]));
  });
});

describe('fineTune', () => {
  it('runs the given number of steps with @graft/train, reporting each loss, and leaks no tensor', async () => {
    const model = mnistSeed();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const losses = await fineTune(model, split, { steps: 3, batchSize: 4, learningRate: 1e-3, trainable: 'all', onStep: (step) => seen.push(step) });
    expect(seen).toEqual([1, 2, 3]);
    expect(losses).toHaveLength(3);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    model.dispose();
  });
});
