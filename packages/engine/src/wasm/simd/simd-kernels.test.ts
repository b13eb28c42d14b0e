import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableWasmTraining } from '../enable-wasm-training.js';
import { asBatchedTranspose } from '../fast-transpose.js';
import { seededRandom } from '@graft/core';
import { describeEachSimdFlavor, maxRelDiff, onBoth, transposeOnBoth } from '../../test-support/kernels.js';

describe("graft's SIMD kernels on wasm", () => {
  beforeAll(async () => {
    await enableWasmTraining();
    tf.env().set('IS_TEST', true);
  });

  it('ships the bytes of kernels.wat as assembled now (npm run build:simd -w @graft/engine)', async () => {
    // @ts-expect-error: a plain .mjs script without type declarations (it runs before anything is built).
    const script: unknown = await import('./build-simd.mjs');
    const { assembleSimdKernels } = script as { assembleSimdKernels: () => Promise<string> };
    expect(readFileSync(new URL('./kernels-wasm.ts', import.meta.url), 'utf8')).toBe(await assembleSimdKernels());
  });

  const random = seededRandom(4242);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const cases = Array.from({ length: 40 }, (_, i) => {
    const [m, k] = [int(1, 40), int(1, 40)];
    // Mostly widths the SIMD kernel takes (multiples of 4, above and below 16); some it leaves to tfjs.
    const n = i % 8 === 7 ? int(1, 20) : 4 * int(1, 12);
    const batch = int(2, 5);
    const broadcast = i % 5 === 3 ? 'a' : i % 5 === 4 ? 'b' : 'none';
    const transposeA = random() < 0.5;
    const transposeB = random() < 0.5;
    // Every sixth case is one unbatched product (a Dense layer's, plain or transposed).
    const lead = (side: 'a' | 'b'): number[] => (i % 6 === 1 ? [] : broadcast === side ? [1] : i % 3 === 0 ? [2, batch] : [batch]);
    const aShape = [...lead('a'), ...(transposeA ? [k, m] : [m, k])];
    const bShape = [...lead('b'), ...(transposeB ? [n, k] : [k, n])];
    if (i % 3 === 0 && broadcast !== 'none') (broadcast === 'a' ? aShape : bShape).splice(0, 1, 1, 1);
    return { aShape, bShape, transposeA, transposeB };
  });
  // The register-blocked product in both assemblies: fused multiply-adds (relaxed SIMD) and a multiply then an add.
  describeEachSimdFlavor(() => {
    it.each(cases.map((c, i) => [i, JSON.stringify(c.aShape), JSON.stringify(c.bShape), c] as const))(
      'batched matMul case %i: %s × %s like cpu',
      async (_i, _a, _b, c) => {
        const a = Array.from({ length: c.aShape.reduce((p, q) => p * q, 1) }, () => random() * 2 - 1);
        const b = Array.from({ length: c.bShape.reduce((p, q) => p * q, 1) }, () => random() * 2 - 1);
        const { wasm, cpu } = await onBoth(() =>
          tf.tidy(() => {
            const out = tf.matMul(tf.tensor(a, c.aShape), tf.tensor(b, c.bShape), c.transposeA, c.transposeB);
            return { shape: out.shape, values: Array.from(out.dataSync()) };
          }),
        );
        expect(wasm.shape).toEqual(cpu.shape);
        expect(maxRelDiff(wasm.values, cpu.values)).toBeLessThan(1e-5);
      },
    );
    // Products deeper than one slice of b (256 rows) are summed slice by slice: whole slices and a remainder.
    it.each([
      [9, 777, 32, true, false],
      [6, 512, 20, false, false],
      [13, 300, 8, false, true],
      [4, 1000, 4, true, true],
    ] as const)('deep product %i×%i×%i (transposed a %s, b %s) like cpu', async (m, k, n, transposeA, transposeB) => {
      const a = Array.from({ length: m * k }, () => random() * 2 - 1);
      const b = Array.from({ length: k * n }, () => random() * 2 - 1);
      const { wasm, cpu } = await onBoth(() =>
        tf.tidy(() => Array.from(tf.matMul(tf.tensor(a, transposeA ? [k, m] : [m, k]), tf.tensor(b, transposeB ? [n, k] : [k, n]), transposeA, transposeB).dataSync())),
      );
      expect(maxRelDiff(wasm, cpu)).toBeLessThan(1e-5);
    });
  });

  it.each([
    [[16, 64, 16], [0, 2, 1]],
    [[2, 3, 5, 7], [0, 1, 3, 2]],
    [[3, 1, 9], [0, 2, 1]],
  ] as const)('transposes batches of matrices %j by %j like cpu', async (shape, perm) => {
    const { wasm, cpu } = await transposeOnBoth(shape, perm);
    expect(wasm).toEqual(cpu);
  });

  it('reads batched transposes out of permutations', () => {
    expect(asBatchedTranspose([16, 64, 16], [0, 2, 1])).toEqual([16, 64, 16]);
    expect(asBatchedTranspose([2, 3, 4, 5], [0, 1, 3, 2])).toEqual([6, 4, 5]);
    expect(asBatchedTranspose([2, 3, 4], [1, 0, 2])).toBeUndefined();
    expect(asBatchedTranspose([3, 4], [1, 0])).toBeUndefined();
  });
});
