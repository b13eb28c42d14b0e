import { Tile, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { required, wasmKernel } from './override.js';

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * Writes `tile(x, reps)` into `out` (row-major, `outShape[d] = xShape[d] * reps[d]`): each block is built once
 * from its inner blocks, then repeated by doubling `copyWithin`s, so the work is a few memory copies per block
 * instead of an index computation per element.
 */
export function tileInto(x: Values, xShape: readonly number[], reps: readonly number[], out: Values): void {
  const rank = xShape.length;
  if (rank === 0) {
    out[0] = x[0] ?? 0;
    return;
  }
  const xInner: number[] = new Array<number>(rank).fill(1);
  const outInner: number[] = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    xInner[d] = (xInner[d + 1] ?? 1) * (xShape[d + 1] ?? 1);
    outInner[d] = (outInner[d + 1] ?? 1) * (xShape[d + 1] ?? 1) * (reps[d + 1] ?? 1);
  }
  const fill = (d: number, xOffset: number, outOffset: number): void => {
    const size = xShape[d] ?? 1;
    const block = size * (outInner[d] ?? 1);
    const total = block * (reps[d] ?? 1);
    if (d === rank - 1 && size === 1) {
      out.fill(x[xOffset] ?? 0, outOffset, outOffset + total);
      return;
    }
    if (d === rank - 1) out.set(x.subarray(xOffset, xOffset + size), outOffset);
    else for (let j = 0; j < size; j++) fill(d + 1, xOffset + j * (xInner[d] ?? 1), outOffset + j * (outInner[d] ?? 1));
    // Doubling: log2(reps) copies per block.
    for (let written = block; written < total; written += Math.min(written, total - written)) {
      out.copyWithin(outOffset + written, outOffset, outOffset + Math.min(written, total - written));
    }
  };
  fill(0, 0, 0);
}

/** The wasm `Tile` as block copies; tfjs-backend-wasm 4.22 computes an N-D index per output element. */
function fastTile(original: KernelConfig): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const reps = args.attrs?.['reps'] as number[];
    if (x.dtype === 'string' || x.dtype === 'complex64' || reps.length !== x.shape.length) return original.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(x.shape.map((size, axis) => size * (reps[axis] ?? 1)), x.dtype);
    if (x.shape.some((size) => size === 0) || reps.some((r) => r === 0)) return out;
    // Views after allocating: allocation may grow (and move) the heap.
    tileInto(backend.typedArrayFromHeap(x), x.shape, reps, backend.typedArrayFromHeap(out));
    return out;
  };
}

export const tileOverride = wasmKernel(Tile, (original) => fastTile(required(original, Tile)));
