import { GatherV2, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { required, wasmKernel } from './override.js';

/**
 * The wasm `GatherV2` along axis 0 (every Embedding lookup) as one row copy per index; tfjs-backend-wasm 4.22
 * spends ~1.5 ms on a [96, 64] table and 1,024 ids. Other axes, `batchDims`, and indices out of range (which tfjs'
 * kernel refuses with its own message) go to tfjs' kernel.
 */
function rowGather(original: KernelConfig): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const attrs = args.attrs ?? {};
    const axis = x.shape.length === 0 ? -1 : (util.parseAxisParam(attrs['axis'] as number, x.shape)[0] ?? -1);
    const batchDims = Number(attrs['batchDims'] ?? 0);
    if (axis !== 0 || batchDims !== 0 || indices.dtype !== 'int32' || x.dtype === 'string' || x.dtype === 'complex64') {
      return original.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    const rows = x.shape[0] ?? 0;
    for (let i = 0; i < ids.length; i++) if (!((ids[i] ?? -1) >= 0 && (ids[i] ?? rows) < rows)) return original.kernelFunc(args);
    const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after allocating: allocation may grow (and move) the heap.
    const table = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    const at = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < at.length; i++) {
      const from = (at[i] ?? 0) * row;
      target.set(table.subarray(from, from + row), i * row);
    }
    return out;
  };
}

export const gatherOverride = wasmKernel(GatherV2, (original) => rowGather(required(original, GatherV2)));
