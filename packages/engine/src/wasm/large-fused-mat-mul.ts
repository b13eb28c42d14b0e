import { _FusedMatMul, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callWasmKernel, release } from './kernel-calls.js';
import { required, wasmKernel } from './override.js';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

/**
 * Weights from this many elements (4 MiB of float32) up are multiplied without XNNPACK. tfjs-backend-wasm keeps
 * XNNPACK's packed copy of every weight it multiplies for as long as the weight lives: one more copy of each large
 * Dense kernel once a model has predicted (~300 MiB for a 67M-parameter Dense stack), and ~0.6 s of packing per
 * 4096 × 4096 kernel.
 */
export const UNPACKED_MIN_WEIGHT = 1 << 20;

/** Rows of the weight per pass of the SIMD kernel: 16 rows of a 4,096-wide weight (256 KiB) stay in cache while every row of `a` uses them. */
const DEPTH_BLOCK = 16;

/**
 * `Dense` on wasm (`_FusedMatMul`: `a · b + bias`, then `linear` or `relu`) for a large weight, on graft's SIMD
 * kernel reading the weight in place: each output row starts at the bias and adds `a[i, p] · b[p, :]` for p in
 * order, as XNNPACK's kernel does, so the values are bit for bit those of tfjs-backend-wasm's kernel (tested).
 * Batched or transposed products, other activations, small weights and widths that are not a multiple of 4 go to
 * tfjs' kernel.
 */
function largeFusedMatMul(original: KernelConfig): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = args.attrs ?? {};
    const activation = attrs['activation'] ?? 'linear';
    const backend = args.backend as BackendWasm;
    const [batchA = 1, m = 1, k = 1] = a.shape.length === 3 ? a.shape : [];
    const [batchB = 1, depth = 0, n = 0] = b.shape.length === 3 ? b.shape : [];
    const applies =
      a.shape.length === 3 && b.shape.length === 3 && batchA === 1 && batchB === 1 && depth === k && n % 4 === 0 &&
      k * n >= UNPACKED_MIN_WEIGHT && a.dtype === 'float32' && b.dtype === 'float32' &&
      attrs['transposeA'] !== true && attrs['transposeB'] !== true &&
      (activation === 'linear' || activation === 'relu') && preluActivationWeights == null &&
      (bias == null || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === n));
    const kernels = applies ? simdKernels(backend) : undefined;
    if (kernels === undefined) return original.kernelFunc(args);
    const product = backend.makeOutput([1, m, n], 'float32');
    // Views after allocating: allocation may grow (and move) the heap.
    const out = backend.typedArrayFromHeap(product);
    if (bias == null) {
      out.fill(0);
    } else {
      const offsets = backend.typedArrayFromHeap(bias);
      for (let i = 0; i < m; i++) out.set(offsets, i * n);
    }
    const [left, right, target] = [heapAddress(backend, a), heapAddress(backend, b), heapAddress(backend, product)];
    for (let p = 0; p < k; p += DEPTH_BLOCK) {
      kernels.matmul(left + p * 4, right + p * n * 4, target, 1, m, Math.min(DEPTH_BLOCK, k - p), n, 0, 0, k * 4, 4, 0, 1);
    }
    if (activation === 'linear') return product;
    const rectified = callWasmKernel(backend, 'Relu', { x: product });
    release(backend, product);
    return rectified;
  };
}

export const largeFusedMatMulOverride = wasmKernel(_FusedMatMul, (original) => largeFusedMatMul(required(original, _FusedMatMul)));
