import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '@graft/core';
import { fromTensors } from './from-tensors.js';
import { validationSplit } from './validation-split.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fromTensors', () => {
  it('gathers rows of every input in seeded order, leaves the caller its tensors, and leaks nothing', () => {
    const xs = { a: tf.range(0, 10).reshape([10, 1]), b: tf.range(10, 20).reshape([10, 1]) };
    const ys = tf.range(0, 10, 1, 'int32');
    const source = fromTensors(xs, ys);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    for (const batch of source.batches(4, { shuffle: true, seed: 3 }) as Iterable<Batch>) {
      const named = batch.xs as Record<string, tf.Tensor>;
      const [a, b, y] = [named['a']?.dataSync(), named['b']?.dataSync(), batch.ys.dataSync()];
      y.forEach((label, i) => {
        expect(a?.[i]).toBe(label);
        expect(b?.[i]).toBe(label + 10);
      });
      seen.push(...y);
      tf.dispose([...Object.values(named), batch.ys]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect([...seen].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => fromTensors(tf.zeros([3, 2]), tf.zeros([4]))).toThrow(/same number of rows.*\[3, 2\] and ys \[4\]/);
    tf.dispose([xs.a, xs.b, ys]);
  });
});

describe('validationSplit', () => {
  it('holds out round(fraction × count) of every class, seeded, disjoint, covering every sample', () => {
    const labels = tf.tensor1d([...new Array<number>(30).fill(0), ...new Array<number>(10).fill(1)], 'int32');
    const source = fromTensors(tf.zeros([40, 1]), labels);
    const { train, validation } = validationSplit(source, 0.2, 1);
    const held = Array.from(validation.sampleLabels() ?? []);
    expect(held.filter((l) => l === 0)).toHaveLength(6);
    expect(held.filter((l) => l === 1)).toHaveLength(2);
    expect(new Set([...train.indices, ...validation.indices]).size).toBe(40);
    expect(train.size + validation.size).toBe(40);
    expect(Array.from(validationSplit(source, 0.2, 1).validation.indices)).toEqual(Array.from(validation.indices));
    expect(Array.from(validationSplit(source, 0.2, 2).validation.indices)).not.toEqual(Array.from(validation.indices));
  });

  it('refuses a split that leaves either side empty, and a fraction outside (0, 1)', () => {
    const source = fromTensors(tf.zeros([4, 1]), tf.tensor1d([0, 0, 1, 1], 'int32'));
    expect(() => validationSplit(source, 0.1, 1)).toThrow(/^A validation split of 0\.1 of 4 samples \(per class\) leaves no validation samples/);
    expect(() => validationSplit(fromTensors(tf.zeros([2, 1]), tf.zeros([2, 1])), 0.9, 1)).toThrow(/leaves no training samples/);
    expect(() => validationSplit(source, 1, 1)).toThrow(/between 0 and 1/);
  });
});
