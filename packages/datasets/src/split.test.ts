import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { DataSplit } from './split.js';

// 10 images of 2x2x1: image i has every pixel equal to 10*i, label i % 3.
function tiny(): DataSplit {
  const pixels = new Uint8Array(40);
  for (let i = 0; i < 10; i++) pixels.fill(i * 10, i * 4, i * 4 + 4);
  return new DataSplit(pixels, Uint8Array.from({ length: 10 }, (_, i) => i % 3), { imageShape: [2, 2, 1], numClasses: 3 });
}

function firstPixels(split: DataSplit, batchSize: number, options = {}): number[] {
  const seen: number[] = [];
  for (const batch of split.batches(batchSize, options)) {
    const values = batch.xs.dataSync();
    for (let i = 0; i < batch.size; i++) seen.push(Math.round((values[i * 4] as number) * 255));
    tf.dispose([batch.xs, batch.ys]);
  }
  return seen;
}

describe('DataSplit', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('makes float32 batches scaled to [0, 1] with one-hot labels; the last batch may be smaller', () => {
    const batches = [...tiny().batches(4)];
    expect(batches.map((b) => b.size)).toEqual([4, 4, 2]);
    const first = batches[0];
    if (first === undefined) throw new Error('no batch');
    expect(first.xs.shape).toEqual([4, 2, 2, 1]);
    expect(first.xs.dtype).toBe('float32');
    expect(first.xs.dataSync()[4]).toBeCloseTo(10 / 255, 7);
    expect(Array.from(first.ys.dataSync())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(first.labels)).toEqual([0, 1, 2, 0]);
    tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
  });

  it('makes tensors only as the generator advances', () => {
    const before = tf.memory().numTensors;
    const generator = tiny().batches(2);
    expect(tf.memory().numTensors).toBe(before);
    const step = generator.next();
    expect(tf.memory().numTensors).toBe(before + 2);
    if (step.done !== true) tf.dispose([step.value.xs, step.value.ys]);
    generator.return();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('shuffles by seed: same seed same order, every image once', () => {
    const a = firstPixels(tiny(), 3, { shuffle: true, seed: 42 });
    const b = firstPixels(tiny(), 4, { shuffle: true, seed: 42 });
    const c = firstPixels(tiny(), 3, { shuffle: true, seed: 43 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(firstPixels(tiny(), 3)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('slices and takes without copying the bytes', () => {
    const split = tiny();
    const part = split.slice(2, 5);
    expect(part.size).toBe(3);
    expect(part.pixels.buffer).toBe(split.pixels.buffer);
    expect(firstPixels(part, 10)).toEqual([20, 30, 40]);
    expect(split.take(100).size).toBe(10);
    expect(split.slice(8, 3).size).toBe(0);
    expect(() => split.slice(-1, 2)).toThrow(/non-negative/);
  });

  it('turns a range into tensors for evaluation and checks its bounds', () => {
    const batch = tiny().toTensors(8);
    expect(batch.xs.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(batch.labels)).toEqual([2, 0]);
    tf.dispose([batch.xs, batch.ys]);
    expect(() => tiny().toTensors(0, 11)).toThrow(/outside 0\.\.10/);
  });

  it('rejects bytes that do not match the labels, labels out of range and bad batch sizes', () => {
    const check = (run: () => unknown): void => {
      try {
        run();
        throw new Error('no error');
      } catch (error) {
        expect(isGraftError(error, 'INVALID_ARGUMENT')).toBe(true);
      }
    };
    check(() => new DataSplit(new Uint8Array(783), new Uint8Array(1)));
    check(() => new DataSplit(new Uint8Array(784), new Uint8Array([10])));
    check(() => tiny().batches(0).next());
  });
});
