/**
 * Test support shared by engine's kernel and backend tests (kept out of the production build by tsconfig.json).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { useSimdFlavor, type SimdFlavor } from '../wasm/simd/simd-kernels.js';
import type { ModuleLoader } from '../backend/candidates.js';

/** Runs `f` on wasm, then on cpu, so a kernel's result can be compared with tfjs's reference one. */
export async function onBoth<T>(f: () => T): Promise<{ wasm: T; cpu: T }> {
  await tf.setBackend('wasm');
  const wasm = f();
  await tf.setBackend('cpu');
  return { wasm, cpu: f() };
}

/** `x` of `shape` holding 0, 1, 2, … transposed by `perm` on wasm and on cpu: shapes and values, to compare. */
export async function transposeOnBoth(shape: readonly number[], perm: readonly number[]): Promise<{ wasm: unknown; cpu: unknown }> {
  const x = Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => i);
  return onBoth(() =>
    tf.tidy(() => {
      const out = tf.transpose(tf.tensor(x, [...shape]), [...perm]);
      return { shape: out.shape, values: Array.from(out.dataSync()) };
    }),
  );
}

/** The largest |a - b| over the arrays, relative to the largest |b| (at least 1). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i] ?? 0));
    worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  }
  return worst / scale;
}

/** An importer that plays a tfjs-node whose native library is present but broken. */
export const brokenNative: ModuleLoader = {
  isInstalled: () => true,
  load: (specifier) =>
    specifier.startsWith('@tensorflow/tfjs-node')
      ? Promise.reject(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'))
      : import(specifier),
};

/** The error `promise` rejects with; throws when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * Runs `tests` once per assembly of graft's SIMD kernels — fused multiply-adds (relaxed SIMD), then a multiply and an
 * add — failing when this runtime cannot run the one asked for; `auto` is restored afterwards.
 */
export function describeEachSimdFlavor(tests: (flavor: SimdFlavor) => void): void {
  describe.each(['relaxed', 'plain'] as const satisfies readonly SimdFlavor[])('on the %s SIMD assembly', (flavor) => {
    beforeAll(() => {
      expect(useSimdFlavor(flavor)).toBe(flavor);
    });
    afterAll(() => {
      useSimdFlavor('auto');
    });
    tests(flavor);
  });
}
