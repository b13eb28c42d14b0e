import { Transpose, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { required, wasmKernel } from './override.js';

/**
 * Reduces a permutation to the matrix transpose it is, when it is one: size-1 axes are dropped and axes that stay
 * neighbours are merged, e.g. `[32,26,26,32]` with perm `[3,0,1,2]` is the transpose of a `[21632,32]` matrix.
 * Returns `[rows, cols]` of that matrix, or `undefined` for any other permutation.
 */
export function asMatrixTranspose(shape: readonly number[], perm: readonly number[]): [number, number] | undefined {
  const kept = perm.filter((axis) => (shape[axis] ?? 1) !== 1);
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] === axis - 1) last.push(axis);
    else groups.push([axis]);
  }
  if (groups.length !== 2) return undefined;
  const [first, second] = groups as [number[], number[]];
  if ((second[0] ?? 0) > (first[0] ?? 0)) return undefined; // the identity permutation
  const size = (axes: number[]): number => axes.reduce((p, axis) => p * (shape[axis] ?? 1), 1);
  return [size(second), size(first)];
}

/**
 * `[batch, rows, cols]` when `perm` keeps the leading axes and swaps the last two (a batch of matrix transposes, as
 * attention's `k` transposes are), else `undefined`.
 */
export function asBatchedTranspose(shape: readonly number[], perm: readonly number[]): [number, number, number] | undefined {
  const rank = shape.length;
  if (rank < 3 || perm.length !== rank || perm[rank - 1] !== rank - 2 || perm[rank - 2] !== rank - 1) return undefined;
  for (let axis = 0; axis < rank - 2; axis++) if (perm[axis] !== axis) return undefined;
  return [shape.slice(0, -2).reduce((p, q) => p * q, 1), shape[rank - 2] ?? 1, shape[rank - 1] ?? 1];
}

const TILE = 64;

/** Cache-blocked `out = inᵀ` for a `[rows, cols]` matrix. */
function transposeMatrix(input: ArrayLike<number>, out: { [i: number]: number }, rows: number, cols: number): void {
  for (let c0 = 0; c0 < cols; c0 += TILE) {
    const c1 = Math.min(cols, c0 + TILE);
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let c = c0; c < c1; c++) out[c * rows + r] = input[row + c] as number;
    }
  }
}

/**
 * Wraps the wasm Transpose: matrix transposes (after merging axes) of wide matrices run as a cache-blocked loop
 * over the heap, about 4× faster than tfjs-backend-wasm 4.22's per-element N-D loop, and so do batches of matrix
 * transposes (the last two axes swapped); others are unchanged.
 */
function makeFastTranspose(original: KernelConfig): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const perm = args.attrs?.['perm'] as number[] | undefined;
    if (perm === undefined || x.dtype === 'string' || x.dtype === 'complex64') return original.kernelFunc(args);
    const matrix = asMatrixTranspose(x.shape, perm);
    const batched = matrix === undefined ? asBatchedTranspose(x.shape, perm) : undefined;
    const [batch, rows, cols] = batched ?? [1, ...(matrix ?? [0, 0])];
    if (batched === undefined && (matrix === undefined || rows >= cols)) return original.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(perm.map((axis) => x.shape[axis] ?? 1), x.dtype);
    // Views after allocating: allocation may grow (and move) the heap.
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    const step = rows * cols;
    for (let t = 0; t < batch; t++) transposeMatrix(from.subarray(t * step, (t + 1) * step), to.subarray(t * step, (t + 1) * step), rows, cols);
    return out;
  };
  return kernelFunc;
}

export const fastTransposeOverride = wasmKernel(Transpose, (original) => makeFastTranspose(required(original, Transpose)));
