import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { Sum, backend_util, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, reshapeInfo } from './kernel-calls.js';
import { required, wasmKernel } from './override.js';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

/**
 * Merges neighbouring axes that are all reduced or all kept, and drops size-1 axes, so e.g. a bias gradient
 * `sum([32,26,26,32], [0,1,2])` becomes `sum([21632,32], [0])`. Returns `undefined` when nothing merges.
 */
export function collapseReduction(shape: readonly number[], axes: readonly number[]): { shape: number[]; axes: number[] } | undefined {
  const reduced = new Set(axes);
  const merged: Array<{ size: number; reduce: boolean }> = [];
  for (let i = 0; i < shape.length; i++) {
    const size = shape[i] ?? 1;
    if (size === 1) continue;
    const reduce = reduced.has(i);
    const last = merged[merged.length - 1];
    if (last !== undefined && last.reduce === reduce) last.size *= size;
    else merged.push({ size, reduce });
  }
  if (merged.length === shape.length || merged.length === 0) return undefined;
  return { shape: merged.map((m) => m.size), axes: merged.flatMap((m, i) => (m.reduce ? [i] : [])) };
}

/**
 * `[rows, cols]` summed over its rows on graft's SIMD kernel (bias, LayerNorm and tile gradients): tfjs-backend-wasm
 * transposes the rows innermost first, ~10× slower. `undefined` when it does not apply (another layout, not float32,
 * cols not a multiple of 4, no SIMD).
 */
function sumLeading(backend: BackendWasm, x: TensorInfo, collapsed: { shape: number[]; axes: number[] }): TensorInfo | undefined {
  const [rows = 0, cols = 0] = collapsed.shape;
  if (x.dtype !== 'float32' || collapsed.shape.length !== 2 || collapsed.axes.length !== 1 || collapsed.axes[0] !== 0 || cols % 4 !== 0) return undefined;
  const kernels = simdKernels(backend);
  if (kernels === undefined) return undefined;
  const out = backend.makeOutput([cols], 'float32');
  kernels.sumRows(heapAddress(backend, x), heapAddress(backend, out), rows, cols);
  return out;
}

/**
 * Wraps the wasm Sum, which transposes reduced axes innermost with a generic N-D transpose: on collapsed
 * (mostly 2-D) shapes that transpose is several times faster, and sums over the rows of the collapsed matrix run
 * on graft's SIMD row sum without any transpose. Same values (each column summed in row order), same output shape.
 */
function makeCollapsedSum(original: KernelConfig): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs ?? {};
    const axes = util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
    const merged = axes.length === 0 ? undefined : collapseReduction(x.shape, axes);
    // A [rows, cols] sum over rows merges nothing but still takes the SIMD row sum.
    const plainRows = merged === undefined && x.shape.length === 2 && axes.length === 1 && axes[0] === 0;
    const collapsed = merged ?? (plainRows ? { shape: [...x.shape], axes } : undefined);
    if (collapsed === undefined) return original.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const finalShape = attrs['keepDims'] === true ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const flat = reshapeInfo(backend, x, collapsed.shape);
    const summed = sumLeading(backend, flat, collapsed) ??
      (original.kernelFunc({ ...args, inputs: { x: flat }, attrs: { axis: collapsed.axes, keepDims: false } }) as TensorInfo);
    const out = reshapeInfo(backend, summed, finalShape);
    release(backend, flat, summed);
    return out;
  };
  return kernelFunc;
}

export const collapsedSumOverride = wasmKernel(Sum, (original) => makeCollapsedSum(required(original, Sum)));
