import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { loadDataset, loadFashionMnist, loadMnist } from './load.js';

describe('loaders', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loads MNIST with its published splits and order', async () => {
    const mnist = await loadMnist();
    expect(mnist.name).toBe('mnist');
    expect([mnist.train.size, mnist.test.size]).toEqual([60_000, 10_000]);
    expect(mnist.imageShape).toEqual([28, 28, 1]);
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const batch = mnist.test.toTensors(0, 16);
    expect(batch.xs.shape).toEqual([16, 28, 28, 1]);
    expect(batch.xs.max().dataSync()[0]).toBe(1);
    expect(batch.xs.min().dataSync()[0]).toBe(0);
    tf.dispose([batch.xs, batch.ys]);
  });

  it('reads each data set once per process and applies limits without copying', async () => {
    const full = await loadMnist();
    const limited = await loadDataset('mnist', { limit: { train: 512, test: 100 } });
    expect([limited.train.size, limited.test.size]).toEqual([512, 100]);
    expect(limited.train.pixels.buffer).toBe(full.train.pixels.buffer);
  });

  it('loads Fashion-MNIST as 60,000 / 10,000 with classes balanced and interleaved', async () => {
    const fashion = await loadFashionMnist({ limit: { test: 20 } });
    expect(fashion.name).toBe('fashion-mnist');
    expect(fashion.train.size).toBe(60_000);
    expect(Array.from(fashion.test.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Not blank: every test image has ink.
    for (let i = 0; i < 20; i++) expect(fashion.test.pixels.subarray(i * 784, (i + 1) * 784).some((p) => p > 0)).toBe(true);
  });

  it('rejects unknown names and bad limits', async () => {
    await expect(loadDataset('cifar' as 'mnist')).rejects.toSatisfy((e) => isGraftError(e, 'INVALID_ARGUMENT'));
    await expect(loadMnist({ limit: { train: -1 } })).rejects.toThrow(/limit\.train/);
  });
});
