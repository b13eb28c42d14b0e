import { describe, expect, it } from 'vitest';
import { layoutOf, reduceRange, reductionRange, shardSizes } from './layout.js';
import { workerScriptUrl } from './worker-url.js';

describe('shardSizes', () => {
  it('splits rows contiguously, the first shards one longer, and gives empty shards when rows are few', () => {
    expect(shardSizes(32, 2)).toEqual([16, 16]);
    expect(shardSizes(33, 2)).toEqual([17, 16]);
    expect(shardSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(shardSizes(1, 3)).toEqual([1, 0, 0]);
  });
});

describe('layoutOf and reductionRange', () => {
  it('places gradients then state back to back, and the ranges cover the region exactly once', () => {
    const layout = layoutOf([['a/kernel', [3, 2]], ['a/bias', [2]]], [['n/moving_mean', [4]]]);
    expect(layout.gradients.map((slot) => [slot.offset, slot.size])).toEqual([[0, 6], [6, 2]]);
    expect(layout.state.map((slot) => [slot.offset, slot.size])).toEqual([[8, 4]]);
    expect(layout.length).toBe(12);
    const ranges = [0, 1, 2, 3, 4].map((index) => reductionRange(layout.length, index, 5));
    expect(ranges[0]?.[0]).toBe(0);
    expect(ranges[4]?.[1]).toBe(12);
    ranges.slice(1).forEach((range, k) => expect(range[0]).toBe(ranges[k]?.[1]));
  });
});

describe('reduceRange', () => {
  it('weights each region by its share, skips empty shards even when their region holds garbage, and writes only its range', () => {
    const stride = 3;
    const regions = new Float32Array([1, 2, 3, 10, 20, 30, Number.NaN, Number.NaN, Number.NaN]);
    const average = new Float32Array([-1, -1, -1]);
    reduceRange(regions, stride, [0.25, 0.75, 0], average, 1, 3);
    expect([...average]).toEqual([-1, 0.25 * 2 + 0.75 * 20, 0.25 * 3 + 0.75 * 30]);
  });

  it('sums any number of replicas in index order in double precision, the same bits as a plain sum', () => {
    const stride = 4;
    const regions = Float32Array.from({ length: 5 * stride }, (_, k) => Math.fround(Math.sin(k + 1) * 10 ** (k % 7)));
    const weights = [0.1, 0.2, 0, 0.3, 0.4];
    const average = new Float32Array(stride);
    reduceRange(regions, stride, weights, average, 0, stride);
    const expected = Array.from({ length: stride }, (_, j) => Math.fround(weights.reduce((sum, weight, index) => (weight === 0 ? sum : sum + weight * (regions[index * stride + j] as number)), 0)));
    expect([...average]).toEqual(expected);
    // Rounding each product to float32 first would give other bits somewhere here.
    expect(expected.some((value, j) => value !== Math.fround(weights.reduce((sum, weight, index) => Math.fround(sum + Math.fround(weight * (regions[index * stride + j] as number))), 0)))).toBe(true);
  });

  it('rounds once from double precision, so one replica of share 1 passes its gradient through unchanged', () => {
    const values = new Float32Array([0.1, 1e-8, 3.3e7]);
    const average = new Float32Array(3);
    reduceRange(values, 3, [1], average, 0, 3);
    expect(average).toEqual(values);
  });
});

describe('workerScriptUrl', () => {
  it('finds the worker beside a compiled module, and in dist/ for a module running from src/', () => {
    expect(workerScriptUrl('file:///p/train/dist/parallel/pool.js').href).toBe('file:///p/train/dist/parallel/worker.js');
    expect(workerScriptUrl('file:///p/train/src/parallel/pool.ts').href).toBe('file:///p/train/dist/parallel/worker.js');
    expect(() => workerScriptUrl('file:///elsewhere/pool.ts')).toThrow(/src/);
  });
});
