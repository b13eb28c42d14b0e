import { UnsortedSegmentSum, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { wasmKernel } from './override.js';

/**
 * `UnsortedSegmentSum` (the gradient of `gather`, hence of every Embedding) for the wasm backend, which ships
 * without it: `out[segmentIds[i], ...] += x[i, ...]`, output `[numSegments, ...x.shape.slice(segmentIds.rank)]`.
 * Ids outside `[0, numSegments)` are dropped, as on cpu; the output keeps x's dtype, as in TensorFlow (tfjs' cpu
 * kernel returns int32 sums as float32). A JS loop over the wasm heap (no wasm export does this);
 * rows are summed in index order, so results are deterministic.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = Number(attrs?.['numSegments']);
  const idsRank = segmentIds.shape.length;
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new GraftError('KERNEL_UNSUPPORTED', `UnsortedSegmentSum: numSegments must be a non-negative integer. Actual: ${JSON.stringify(attrs?.['numSegments'])}.`);
  }
  if (idsRank > x.shape.length || segmentIds.shape.some((size, axis) => size !== x.shape[axis])) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `UnsortedSegmentSum: segmentIds' shape [${segmentIds.shape.join(',')}] must lead x's shape [${x.shape.join(',')}].`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new GraftError('KERNEL_UNSUPPORTED', `UnsortedSegmentSum on wasm takes float32 or int32 values. Actual: ${x.dtype}.`);
  }
  const wasm = backend as BackendWasm;
  const rowShape = x.shape.slice(idsRank);
  const row = rowShape.reduce((a, b) => a * b, 1);
  const out = wasm.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views after allocating: allocation may grow (and move) the heap.
  const target = wasm.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const values = wasm.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = wasm.typedArrayFromHeap(segmentIds);
  target.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const id = Number(ids[i]);
    if (!(id >= 0 && id < numSegments)) continue;
    const from = i * row;
    const to = id * row;
    for (let k = 0; k < row; k++) target[to + k]! += values[from + k]!;
  }
  return out;
};

export const unsortedSegmentSumOverride = wasmKernel(UnsortedSegmentSum, () => unsortedSegmentSum);
