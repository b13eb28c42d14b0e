import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callWasmKernel } from './kernel-calls.js';

/** `op(a) @ op(b)` for rank-2 (or batched rank-3) tensors on wasm. */
export function matMul(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  return callWasmKernel(backend, 'BatchMatMul', { a, b }, { transposeA, transposeB });
}
