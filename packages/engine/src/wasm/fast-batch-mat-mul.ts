import { BatchMatMul, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callWasmKernel, release, reshapeInfo } from './kernel-calls.js';
import { required, wasmKernel } from './override.js';
import { simdBatchedMatMul } from './simd-batched-mat-mul.js';
import { simdKernels } from './simd/simd-kernels.js';

/**
 * Relative cost per element, measured on tfjs-backend-wasm 4.22: XNNPACK packs the right operand of every
 * product afresh (training changes the weights each step), and the wasm transpose is fast from tall to wide
 * matrices but slow from wide to tall ones. The naive kernel used for transposed operands is ~5× slower than both.
 */
const PACK = 3;
const TRANSPOSE_FROM_TALL = 1;
const TRANSPOSE_FROM_WIDE = 6;

function transposeCost(rows: number, cols: number): number {
  return rows * cols * (rows >= cols ? TRANSPOSE_FROM_TALL : TRANSPOSE_FROM_WIDE);
}

type Plan = 'transposeLeft' | 'transposeRight' | 'swap';

/**
 * Chooses how to turn a product with transposed operands into XNNPACK's fast `a · b` (plain operands):
 * transpose the transposed operand, or compute the transposed product `(bᵀ-side · a-side)ᵀ` instead.
 * Shapes are the 2-D shapes of `a` and `b` as stored.
 */
export function planMatMul(aRows: number, aCols: number, bRows: number, bCols: number, transposeA: boolean, transposeB: boolean): Plan {
  if (transposeA && transposeB) return 'swap'; // aᵀbᵀ = (b a)ᵀ: plain operands, one transpose of the output.
  if (transposeA) {
    // out[M,N] = aᵀ b with a [K,M], b [K,N].
    const [k, m, n] = [aRows, aCols, bCols];
    const direct = transposeCost(k, m) + PACK * k * n;
    const swapped = transposeCost(k, n) + PACK * k * m + transposeCost(n, m);
    return direct <= swapped ? 'transposeLeft' : 'swap';
  }
  // out[M,N] = a bᵀ with a [M,K], b [N,K].
  const [m, k, n] = [aRows, aCols, bRows];
  const direct = transposeCost(n, k) + PACK * k * n;
  const swapped = transposeCost(m, k) + PACK * k * m + transposeCost(n, m);
  return direct <= swapped ? 'transposeRight' : 'swap';
}

/**
 * Wraps the wasm BatchMatMul so products run on graft's SIMD kernel (batched and transposed ones; plain ones where it
 * has fused multiply-adds) or else on XNNPACK, transposed ones as planned by {@link planMatMul}, instead of
 * tfjs-backend-wasm's naive loop, which the backward pass of every Dense and Conv layer hits. Results are the
 * same products, summed in a different order (float32 rounding differs in the last bits).
 */
function makeFastBatchMatMul(original: KernelConfig): KernelFunc {
  const plain = (backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo =>
    original.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  const transpose = (backend: BackendWasm, x: TensorInfo): TensorInfo => callWasmKernel(backend, 'Transpose', { x }, { perm: [1, 0] });

  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const transposeA = args.attrs?.['transposeA'] === true;
    const transposeB = args.attrs?.['transposeB'] === true;
    const batchA = a.shape.slice(0, -2).reduce((p, q) => p * q, 1);
    const batchB = b.shape.slice(0, -2).reduce((p, q) => p * q, 1);
    const backend = args.backend as BackendWasm;
    if (batchA !== 1 || batchB !== 1) return simdBatchedMatMul(backend, a, b, transposeA, transposeB) ?? original.kernelFunc(args);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return original.kernelFunc(args);
    // With fused multiply-adds the register-blocked SIMD kernel beats XNNPACK 1.4-3.5× on plain products (it packs
    // nothing; XNNPACK packs `b` afresh each call); without them XNNPACK keeps plain products.
    const plainProduct = !transposeA && !transposeB;
    if (plainProduct && simdKernels(backend)?.fused !== true) return original.kernelFunc(args);
    // Transposed products: the SIMD kernel reads a transposed `a` in place and beats a transpose plus XNNPACK's
    // packing (3-7× on Dense weight gradients; deep ones run in cache-sized slices of `b`, ~3× on a first conv
    // layer's filter gradient). Without SIMD, or for widths not in fours, XNNPACK takes them as planned below.
    const bySimd = simdBatchedMatMul(backend, a, b, transposeA, transposeB);
    if (bySimd !== undefined) return bySimd;
    if (plainProduct) return original.kernelFunc(args);
    const [aRows = 1, aCols = 1] = a.shape.slice(-2);
    const [bRows = 1, bCols = 1] = b.shape.slice(-2);
    const outRows = transposeA ? aCols : aRows;
    const outCols = transposeB ? bRows : bCols;
    const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), outRows, outCols];
    const a2 = reshapeInfo(backend, a, [aRows, aCols]);
    const b2 = reshapeInfo(backend, b, [bRows, bCols]);
    const plan = planMatMul(aRows, aCols, bRows, bCols, transposeA, transposeB);
    let product: TensorInfo;
    if (plan === 'transposeLeft') {
      const aT = transpose(backend, a2);
      product = plain(backend, aT, b2);
      release(backend, aT);
    } else if (plan === 'transposeRight') {
      const bT = transpose(backend, b2);
      product = plain(backend, a2, bT);
      release(backend, bT);
    } else {
      // (op(a) op(b))ᵀ = op(b)ᵀ op(a)ᵀ, where op(b)ᵀ and op(a)ᵀ are b or a as stored when they were transposed.
      const left = transposeB ? b2 : transpose(backend, b2);
      const right = transposeA ? a2 : transpose(backend, a2);
      const swapped = plain(backend, left, right);
      product = transpose(backend, swapped);
      release(backend, swapped);
      if (left !== b2) release(backend, left);
      if (right !== a2) release(backend, right);
    }
    const out = reshapeInfo(backend, product, outShape);
    release(backend, a2, b2, product);
    return out;
  };
  return kernelFunc;
}

export const fastBatchMatMulOverride = wasmKernel(BatchMatMul, (original) => makeFastBatchMatMul(required(original, BatchMatMul)));
