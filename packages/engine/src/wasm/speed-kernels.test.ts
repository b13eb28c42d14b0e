import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableWasmTraining } from './enable-wasm-training.js';
import { planMatMul } from './fast-batch-mat-mul.js';
import { collapseReduction } from './collapsed-sum.js';
import { asMatrixTranspose } from './fast-transpose.js';
import { maxRelDiff, onBoth, transposeOnBoth } from '../test-support/kernels.js';

describe('wasm speed kernels give the values of the kernels they replace', () => {
  beforeAll(async () => {
    await enableWasmTraining();
    tf.env().set('IS_TEST', true);
  });

  it.each([
    [[37, 5], [37, 11], true, false],
    [[5, 37], [11, 37], false, true],
    [[37, 5], [11, 37], true, true],
    [[2000, 9], [2000, 16], true, false],
    [[16, 20], [3000, 20], false, true],
    [[1, 16, 300], [16, 7], true, false],
    [[2, 6, 5], [2, 6, 4], true, false],
  ] as const)('matMul %j × %j (transposeA %s, transposeB %s)', async (aShape, bShape, transposeA, transposeB) => {
    const a = Float32Array.from({ length: aShape.reduce<number>((p, q) => p * q, 1) }, (_, i) => Math.sin(i * 0.37));
    const b = Float32Array.from({ length: bShape.reduce<number>((p, q) => p * q, 1) }, (_, i) => Math.cos(i * 0.11));
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const out = tf.matMul(tf.tensor(a, [...aShape]), tf.tensor(b, [...bShape]), transposeA, transposeB);
        return { shape: out.shape, values: out.dataSync().slice() };
      }),
    );
    expect(wasm.shape).toEqual(cpu.shape);
    expect(maxRelDiff(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });

  it.each([
    [[4, 3, 3, 5], [0, 1, 2], false],
    [[4, 3, 3, 5], [0, 1, 2], true],
    [[4, 1, 3, 5], [1, 3], true],
    [[2, 3, 4], [1], false],
    [[6, 7], [0, 1], false],
    // Row sums (bias and LayerNorm gradients) on the SIMD kernel, and a width it leaves to tfjs.
    [[1024, 256], [0], false],
    [[16, 64, 64], [0, 1], false],
    [[16, 64, 64], [0, 1], true],
    [[33, 6], [0], false],
    [[5, 1, 12], [0], false],
  ] as const)('sum of %j over %j (keepDims %s)', async (shape, axes, keepDims) => {
    const x = Float32Array.from({ length: shape.reduce<number>((p, q) => p * q, 1) }, (_, i) => Math.sin(i));
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const out = tf.sum(tf.tensor(x, [...shape]), [...axes], keepDims);
        return { shape: out.shape, values: out.dataSync().slice() };
      }),
    );
    expect(wasm.shape).toEqual(cpu.shape);
    expect(maxRelDiff(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });

  it('plans products on XNNPACK without transposing wide matrices when it can', () => {
    // Dense layer backward pass of the reference model (batch 32, 21632 → 20).
    expect(planMatMul(32, 20, 21632, 20, false, true)).toBe('swap'); // dX = dy · Wᵀ
    expect(planMatMul(21632, 9, 21632, 32, true, false)).toBe('swap'); // conv filter gradient
    expect(planMatMul(32, 21632, 32, 20, true, false)).toBe('transposeLeft'); // dW = xᵀ · dy
  });

  it('collapses neighbouring reduced and kept axes', () => {
    expect(collapseReduction([32, 26, 26, 32], [0, 1, 2])).toEqual({ shape: [21632, 32], axes: [0] });
    expect(collapseReduction([4, 1, 3, 5], [1, 3])).toEqual({ shape: [12, 5], axes: [1] });
    expect(collapseReduction([2, 3, 4], [1])).toBeUndefined();
  });
});

describe('wasm data-movement kernels', () => {
  beforeAll(async () => {
    await enableWasmTraining();
    tf.env().set('IS_TEST', true);
  });

  it.each([
    [[3, 70], [1, 0]],
    [[2, 3, 40], [2, 0, 1]],
    [[32, 4, 4, 3], [3, 0, 1, 2]],
    [[5, 1, 60], [2, 1, 0]],
    [[4, 5, 6], [0, 2, 1]],
  ] as const)('transposes %j by %j like cpu', async (shape, perm) => {
    const { wasm, cpu } = await transposeOnBoth(shape, perm);
    expect(wasm).toEqual(cpu);
  });

  it('reads matrix transposes out of N-D permutations', () => {
    expect(asMatrixTranspose([32, 26, 26, 32], [3, 0, 1, 2])).toEqual([21632, 32]);
    expect(asMatrixTranspose([3, 70], [1, 0])).toEqual([3, 70]);
    expect(asMatrixTranspose([4, 5, 6], [0, 2, 1])).toBeUndefined();
    expect(asMatrixTranspose([4, 5], [0, 1])).toBeUndefined();
  });

  it('shares data for Identity and same-dtype Cast, and values stay intact after the source is disposed', async () => {
    await tf.setBackend('wasm');
    const source = tf.tensor([1.5, -2, 3]);
    const copy = tf.clone(source);
    const cast = tf.cast(source, 'float32');
    const asInt = tf.cast(source, 'int32');
    source.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1.5, -2, 3]);
    expect(Array.from(cast.dataSync())).toEqual([1.5, -2, 3]);
    expect(Array.from(asInt.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([copy, cast, asInt]);
  });
});
