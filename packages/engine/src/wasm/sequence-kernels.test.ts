import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableWasmTraining } from './enable-wasm-training.js';
import { tileInto } from './tile.js';
import { seededRandom } from '@graft/core';
import { maxRelDiff, onBoth } from '../test-support/kernels.js';

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 1e-5): void {
  expect(actual.length, what).toBe(expected.length);
  expect(maxRelDiff(actual, expected), `${what}: max |wasm - cpu| / scale`).toBeLessThanOrEqual(tolerance);
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

describe('wasm kernels for sequence models match cpu', () => {
  beforeAll(async () => {
    await enableWasmTraining();
    // IS_TEST makes tfjs check every kernel for leaked intermediate buffers.
    tf.env().set('IS_TEST', true);
  });

  const random = seededRandom(1906);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

  const segmentCases = Array.from({ length: 30 }, (_, i) => {
    const rows = int(1, 40);
    const rowShape = Array.from({ length: int(0, 3) }, () => int(1, 5));
    const numSegments = int(1, 12);
    // Some ids fall outside [0, numSegments): cpu drops them, and so must wasm.
    const ids = Array.from({ length: rows }, () => int(-2, numSegments + 1));
    const dtype = i % 5 === 4 ? ('int32' as const) : ('float32' as const);
    const values = Array.from({ length: rows * size(rowShape) }, () => (dtype === 'int32' ? int(-9, 9) : random() * 2 - 1));
    return { shape: [rows, ...rowShape], ids, numSegments, values, dtype };
  });
  it.each(segmentCases.map((c, i) => [i, JSON.stringify(c.shape), c] as const))('unsortedSegmentSum case %i, x %s', async (_i, _shape, c) => {
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const out = tf.unsortedSegmentSum(tf.tensor(c.values, c.shape, c.dtype), tf.tensor1d(c.ids, 'int32'), c.numSegments);
        return { shape: out.shape, dtype: out.dtype, values: Array.from(out.dataSync()) };
      }),
    );
    // Same dtype as x, as in TensorFlow (tfjs' cpu kernel turns int32 sums into float32; the values agree).
    expect([wasm.shape, wasm.dtype]).toEqual([cpu.shape, c.dtype]);
    expectClose(wasm.values, cpu.values, 'unsortedSegmentSum');
  });

  it('takes the gradient of gather (an Embedding lookup) like cpu', async () => {
    const table = Float32Array.from({ length: 7 * 3 }, (_, i) => Math.sin(i));
    const weights = Float32Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.cos(i));
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const ids = tf.tensor2d([[0, 3, 3, 6, 1], [2, 3, 0, 0, 5]], [2, 5], 'int32');
        const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.tensor3d(weights, [2, 5, 3]))))(tf.tensor2d(table, [7, 3]));
        return Array.from(grad.dataSync());
      }),
    );
    expectClose(wasm, cpu, 'gather gradient');
  });

  const gatherCases = Array.from({ length: 20 }, (_, i) => {
    const shape = [int(1, 12), ...Array.from({ length: int(0, 2) }, () => int(1, 5))];
    const ids = Array.from({ length: int(1, 3) * int(1, 6) }, () => int(0, (shape[0] ?? 1) - 1));
    const idsShape = i % 2 === 0 ? [ids.length] : [ids.length / (ids.length % 2 === 0 ? 2 : 1), ids.length % 2 === 0 ? 2 : 1];
    const dtype = i % 4 === 3 ? ('int32' as const) : ('float32' as const);
    const axis = i % 5 === 4 && shape.length > 1 ? 1 : 0;
    const values = Array.from({ length: size(shape) }, () => (dtype === 'int32' ? int(-9, 9) : random() * 2 - 1));
    return { shape, ids: axis === 1 ? ids.map((id) => id % (shape[1] ?? 1)) : ids, idsShape, dtype, axis, values };
  });
  it.each(gatherCases.map((c, i) => [i, JSON.stringify(c.shape), c.axis, c] as const))('gather case %i: %s along axis %i', async (_i, _shape, _axis, c) => {
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const out = tf.gather(tf.tensor(c.values, c.shape, c.dtype), tf.tensor(c.ids, c.idsShape, 'int32'), c.axis);
        return { shape: out.shape, dtype: out.dtype, values: Array.from(out.dataSync()) };
      }),
    );
    expect(wasm).toEqual(cpu);
  });

  it('refuses gather indices out of range, like cpu', async () => {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      expect(() => tf.tidy(() => tf.gather(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([0, 2], 'int32')).dataSync()), backend).toThrow();
    }
  });

  const tileCases = Array.from({ length: 30 }, () => {
    const rank = int(1, 5);
    const shape = Array.from({ length: rank }, () => int(1, 4));
    const reps = Array.from({ length: rank }, () => (random() < 0.3 ? 1 : int(1, 5)));
    return { shape, reps, values: Array.from({ length: size(shape) }, () => random() * 2 - 1) };
  });
  it.each(tileCases.map((c, i) => [i, JSON.stringify(c.shape), JSON.stringify(c.reps), c] as const))(
    'tile case %i: %s by %s, and its gradient',
    async (_i, _shape, _reps, c) => {
      const weights = Array.from({ length: size(c.shape) * size(c.reps) }, () => random() * 2 - 1);
      const { wasm, cpu } = await onBoth(() =>
        tf.tidy(() => {
          const x = tf.tensor(c.values, c.shape);
          const tiled = tf.tile(x, c.reps);
          // tfjs' own Tile gradient (which cpu runs) stops at rank 4.
          const grad = c.shape.length <= 4 ? tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, c.reps), tf.tensor(weights, tiled.shape))))(x) : undefined;
          return { shape: tiled.shape, tiled: Array.from(tiled.dataSync()), grad: grad === undefined ? undefined : Array.from(grad.dataSync()) };
        }),
      );
      expect(wasm.shape).toEqual(cpu.shape);
      expect(wasm.tiled).toEqual(cpu.tiled);
      if (cpu.grad !== undefined) expectClose(wasm.grad ?? [], cpu.grad, 'tile gradient');
    },
  );

  it('tiles int32 and bool tensors like cpu', async () => {
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => [
        Array.from(tf.tile(tf.tensor2d([[1, -2, 3]], [1, 3], 'int32'), [2, 2]).dataSync()),
        Array.from(tf.tile(tf.tensor1d([true, false], 'bool'), [3]).dataSync()),
      ]),
    );
    expect(wasm).toEqual(cpu);
  });

  it('builds tiles by block copies in row-major order', () => {
    const out = new Float32Array(12);
    tileInto(Float32Array.from([1, 2, 3]), [3, 1], [2, 2], out);
    expect(Array.from(out)).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]);
  });

  it('reduces the LayerNormalization gain gradient in a handful of kernels instead of one Slice and Add per row', async () => {
    await tf.setBackend('wasm');
    const layer = tf.layers.layerNormalization({ epsilon: 1e-5 });
    const x = tf.randomNormal([16, 64, 64], 0, 1, 'float32', 5);
    layer.apply(x);
    const profile = await tf.profile(() => {
      const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor));
      tf.dispose(Object.values(grads));
    });
    const count = (name: string): number => profile.kernels.filter((k) => k.name === name).length;
    expect(count('Slice') + count('Add'), 'Slice and Add kernels').toBeLessThan(40);
    x.dispose();
    layer.dispose();
  });
});
