import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callWasmKernel, release, reshapeInfo } from './kernel-calls.js';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

const size = (shape: readonly number[]): number => shape.reduce((p, q) => p * q, 1);

/** Rows of `b` per slice of a deep product: 256 rows of a 32-wide `b` are 32 KiB, within a core's L1 cache. */
const DEPTH_BLOCK = 256;

/**
 * A batched product (`[..., m, k] · [..., k, n]`, either side transposed) on graft's SIMD kernel, for the many
 * small products of attention (tfjs-backend-wasm runs every batched or transposed product on a scalar loop, ~1.5
 * GFLOP/s). A transposed `a` is read in place by strides; a transposed `b` is transposed once (it is the small side
 * of attention's products). `undefined` when the kernel does not apply: no SIMD, not float32, batch dims that
 * neither match nor broadcast from 1, or an output width that is not a multiple of 4.
 */
export function simdBatchedMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return undefined;
  const [aRows = 1, aCols = 1] = a.shape.slice(-2);
  const [bRows = 1, bCols = 1] = b.shape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k || n % 4 !== 0 || m * n * k === 0) return undefined;
  const kernels = simdKernels(backend);
  if (kernels === undefined) return undefined;

  const outer = batchA >= batchB ? outerA : outerB;
  const batch = Math.max(batchA, batchB);
  let right = b;
  if (transposeB) {
    const b3 = reshapeInfo(backend, b, [batchB, bRows, bCols]);
    right = callWasmKernel(backend, 'Transpose', { x: b3 }, { perm: [0, 2, 1] });
    release(backend, b3);
  }
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const [aAt, bAt, outAt] = [heapAddress(backend, a), heapAddress(backend, right), heapAddress(backend, out)];
  const [aRow, aCol] = transposeA ? [4, m * 4] : [k * 4, 4];
  if (batch === 1 && k > DEPTH_BLOCK) {
    // A deep product in slices of DEPTH_BLOCK rows of `b`, summed into one C (the kernel's batches with cBatch 0):
    // each slice of `b` stays in cache while every block of output rows and columns reads it, where the whole depth
    // at once would stream a tall `b` from memory once per block.
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    const slices = Math.floor(k / DEPTH_BLOCK);
    kernels.matmul(aAt, bAt, outAt, slices, m, DEPTH_BLOCK, n, DEPTH_BLOCK * aCol, DEPTH_BLOCK * n * 4, aRow, aCol, 0, 1);
    const done = slices * DEPTH_BLOCK;
    if (done < k) kernels.matmul(aAt + done * aCol, bAt + done * n * 4, outAt, 1, m, k - done, n, 0, 0, aRow, aCol, 0, 1);
  } else {
    kernels.matmul(aAt, bAt, outAt, batch, m, k, n, batchA === 1 ? 0 : m * k * 4, batchB === 1 ? 0 : k * n * 4, aRow, aCol, m * n * 4, 0);
  }
  if (right !== b) release(backend, right);
  return out;
}
