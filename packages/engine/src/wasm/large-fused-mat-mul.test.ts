import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableWasmTraining } from './enable-wasm-training.js';
import { UNPACKED_MIN_WEIGHT } from './large-fused-mat-mul.js';
import { useSimdFlavor } from './simd/simd-kernels.js';

const filled = (shape: number[], f: (i: number) => number): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => f(i)), shape);

describe('Dense products with a large weight on wasm', () => {
  let original: tf.KernelConfig;
  let backend: BackendWasm;

  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    original = tf.getKernel(tf._FusedMatMul, 'wasm')!;
    await enableWasmTraining();
    backend = tf.backend() as BackendWasm;
  });

  /** tfjs-backend-wasm's own kernel on the same inputs (XNNPACK), read back and released. */
  function reference(a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor | undefined, activation: string): Float32Array {
    const inputs = { a: a.reshape([1, ...a.shape]), b: b.reshape([1, ...b.shape]), ...(bias === undefined ? {} : { bias }) };
    const out = original.kernelFunc({ inputs, backend, attrs: { transposeA: false, transposeB: false, activation } }) as tf.TensorInfo;
    const values = backend.readSync(out.dataId) as Float32Array;
    backend.disposeData(out.dataId);
    tf.dispose([inputs.a, inputs.b]);
    return values;
  }

  const cases = [
    [1, 1024, 1024, 'relu', true],
    [32, 1025, 1024, 'linear', true],
    [7, 512, 2048, 'relu', false],
    [64, 2048, 516, 'linear', false],
  ] as const;

  function product(m: number, k: number, n: number, activation: string, withBias: boolean): { got: Float32Array; expected: Float32Array } {
    expect(k * n).toBeGreaterThanOrEqual(UNPACKED_MIN_WEIGHT);
    const a = filled([m, k], (i) => Math.sin(i * 0.37));
    const b = filled([k, n], (i) => Math.cos(i * 0.11) / 32);
    const bias = withBias ? filled([n], (i) => Math.sin(i) / 4) : undefined;
    const grown = tf.fused.matMul({ a, b, activation, ...(bias === undefined ? {} : { bias }) });
    expect(grown.shape).toEqual([m, n]);
    const got = grown.dataSync() as Float32Array;
    const expected = reference(a, b, bias, activation);
    tf.dispose([a, b, grown, ...(bias === undefined ? [] : [bias])]);
    return { got, expected };
  }

  // Multiply then add, in XNNPACK's order: the same float32 roundings.
  it.each(cases)('a [%i, %i] · b [·, %i], %s, bias %s, plain SIMD: bit for bit tfjs-backend-wasm\'s kernel', (m, k, n, activation, withBias) => {
    expect(useSimdFlavor('plain')).toBe('plain');
    try {
      const { got, expected } = product(m, k, n, activation, withBias);
      expect(got.every((value, i) => Object.is(value, expected[i]))).toBe(true);
    } finally {
      useSimdFlavor('auto');
    }
  });

  // A fused multiply-add rounds once where XNNPACK rounds twice: equal to float32 rounding, not bit for bit.
  it.each(cases)('a [%i, %i] · b [·, %i], %s, bias %s, fused multiply-adds: tfjs-backend-wasm\'s kernel up to rounding', (m, k, n, activation, withBias) => {
    expect(useSimdFlavor('relaxed')).toBe('relaxed');
    try {
      const { got, expected } = product(m, k, n, activation, withBias);
      const worst = got.reduce((most, value, i) => Math.max(most, Math.abs(value - (expected[i] as number)) / (1 + Math.abs(expected[i] as number))), 0);
      expect(worst).toBeLessThan(1e-5);
    } finally {
      useSimdFlavor('auto');
    }
  });

  it('keeps no packed copy of the weights: predicting grows the heap by far less than the weights', () => {
    const weights = Array.from({ length: 4 }, (_, w) => filled([1024, 2048], (i) => Math.cos(i * 0.01 + w) / 32));
    const x = filled([8, 1024], (i) => Math.sin(i));
    const heapBytes = (): number => (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.byteLength;
    const heapBefore = heapBytes();
    for (const w of weights) tf.dispose(tf.fused.matMul({ a: x, b: w, activation: 'relu' }));
    const grewBy = heapBytes() - heapBefore;
    // XNNPACK would keep 4 × 8 MiB of packed weights.
    expect(grewBy).toBeLessThan(8 * 2 ** 20);
    tf.dispose([...weights, x]);
  });
});
