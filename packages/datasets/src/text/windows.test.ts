import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TextWindows, type TextBatch } from './windows.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ids = Int32Array.from({ length: 23 }, (_, i) => i);

function rows(batch: TextBatch): { xs: number[][]; ys: number[][] } {
  const result = { xs: (batch.xs as tf.Tensor).arraySync() as number[][], ys: batch.ys.arraySync() };
  tf.dispose([batch.xs, batch.ys]);
  return result;
}

describe('TextWindows', () => {
  it('tiles the sequence at stride context with next-id targets', () => {
    const windows = new TextWindows(ids, 5);
    expect(windows.size).toBe(4); // (23 - 1) / 5, rounded down
    const [first, second] = [...windows.batches(3)];
    expect(first?.ys.dtype).toBe('int32');
    expect(rows(first as TextBatch)).toEqual({
      xs: [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]],
      ys: [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]],
    });
    expect(second?.size).toBe(1);
    expect(rows(second as TextBatch)).toEqual({ xs: [[15, 16, 17, 18, 19]], ys: [[16, 17, 18, 19, 20]] });
  });

  it('shuffles by seed: the same seed gives the same order, every window once', () => {
    const windows = new TextWindows(ids, 2);
    const order = (seed: number): number[] => [...windows.batches(4, { shuffle: true, seed })].flatMap((b) => rows(b).xs.map((row) => row[0] as number));
    expect(order(7)).toEqual(order(7));
    expect(order(7)).not.toEqual(order(8));
    expect([...order(7)].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => 2 * i));
  });

  it('makes model inputs with the given function and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const windows = new TextWindows(ids, 4, (tokens) => ({ tokens, doubled: tf.mul(tokens, 2) }));
    for (const batch of windows.batches(2)) {
      const xs = batch.xs as Record<string, tf.Tensor>;
      expect(Object.keys(xs)).toEqual(['tokens', 'doubled']);
      tf.dispose([...Object.values(xs), batch.ys]);
    }
    const replacing = new TextWindows(ids, 4, (tokens) => tf.add(tokens, 1));
    for (const batch of replacing.batches(2)) tf.dispose([batch.xs, batch.ys]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('spreads a subset evenly over the windows', () => {
    const windows = new TextWindows(ids, 2); // 11 windows
    const spread = windows.spread(3);
    expect(spread.size).toBe(3);
    expect([0, 1, 2].map((i) => spread.window(i)[0])).toEqual([0, 6, 14]);
    expect(windows.spread(50)).toBe(windows);
  });

  it('has no window when the sequence is not longer than the context, and refuses bad arguments', () => {
    expect(new TextWindows(ids.subarray(0, 5), 5).size).toBe(0);
    expect(() => new TextWindows(ids, 0)).toThrow(/context must be a positive integer/);
    expect(() => new TextWindows(ids, 5, undefined, Uint32Array.of(18))).toThrow(/window 0 at 18 needs 6 ids; the sequence has 23/);
    expect(() => [...new TextWindows(ids, 5).batches(0)]).toThrow(/batchSize must be a positive integer/);
  });
});
