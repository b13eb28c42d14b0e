import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@graft/core';
import { onBoth } from '../test-support/kernels.js';
import { enableWasmTraining } from './enable-wasm-training.js';
import { useSimdFlavor } from './simd/simd-kernels.js';

describe("relu's one-kernel gradient on wasm", () => {
  beforeAll(async () => {
    await enableWasmTraining();
    tf.env().set('IS_TEST', true);
  });

  const random = seededRandom(515);
  const shapes = [[7], [3, 5], [2, 6, 6, 4], [1, 3, 3, 5], [4, 9, 2]];
  // NaN, ±0, ±Infinity in x and in dy: tfjs' Step · Multiply gives NaN for NaN x and 0 · ∞.
  const special = [Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30, -1e-30];
  const values = (size: number): Float32Array =>
    Float32Array.from({ length: size }, (_, i) => (i % 5 === 4 ? special[Math.floor(random() * special.length)] ?? 0 : random() * 2 - 1));

  it.each(shapes.map((shape) => [JSON.stringify(shape), shape] as const))('equals cpu bit for bit on %s', async (_name, shape) => {
    const size = shape.reduce((p, q) => p * q, 1);
    const x = values(size);
    const dy = values(size);
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x, shape), tf.tensor(dy, shape)).dataSync())),
    );
    expect(wasm.map(String)).toEqual(cpu.map(String));
  });

  it('runs in JavaScript where there is no SIMD kernel, with the same values', async () => {
    const x = Float32Array.from([...values(30), ...special, 2, Number.NaN, -3]);
    const dy = Float32Array.from([...values(30), 1, 1, 1, 1, 1, Number.POSITIVE_INFINITY, 1, Number.POSITIVE_INFINITY, 1, Number.NaN]);
    const gradient = (): string[] => tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x), tf.tensor(dy)).dataSync()).map(String));
    await tf.setBackend('wasm');
    const simd = gradient();
    expect(useSimdFlavor('none')).toBeUndefined();
    const plainJs = gradient();
    useSimdFlavor('auto');
    expect(plainJs).toEqual(simd);
  });

  it('records one kernel for the gradient on wasm', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, -2, 3, 0]);
    const dy = tf.tensor([0.5, 0.5, 0.5, 0.5]);
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy));
    expect(profile.kernelNames).toContain('GraftReluGrad');
    expect(profile.kernelNames).not.toContain('Step');
    tf.dispose([x, dy]);
  });
});
