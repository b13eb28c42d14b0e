import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';

/**
 * Runs a kernel already registered for `wasm` directly on the backend, the way tfjs' own wasm kernels compose.
 * The caller owns the returned {@link TensorInfo} and must {@link release} it (or return it as a kernel output).
 */
export function callWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new GraftError('KERNEL_UNSUPPORTED', `Kernel "${kernelName}" is not registered for the wasm backend.`);
  }
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new GraftError('KERNEL_UNSUPPORTED', `Kernel "${kernelName}" returned several outputs; expected one.`);
  }
  return out;
}

/** Drops one reference to each intermediate produced by {@link callWasmKernel}. */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A view of `info` with another shape; shares (and references) the same data. */
export function reshapeInfo(backend: BackendWasm, info: TensorInfo, shape: number[]): TensorInfo {
  return callWasmKernel(backend, 'Reshape', { x: info }, { shape });
}

/** Allocates a float32 tensor on the wasm heap and fills it with `fill(index)`. */
export function makeFloat32(backend: BackendWasm, shape: number[], fill: (values: Float32Array) => void): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const values = backend.typedArrayFromHeap(out);
  if (!(values instanceof Float32Array)) throw new GraftError('KERNEL_UNSUPPORTED', 'Expected a float32 heap view.');
  values.fill(0);
  fill(values);
  return out;
}

/** Normalises a `number | [number, number]` kernel attribute (strides, dilations). */
export function pair(value: unknown, name: string): [number, number] {
  if (value === undefined || value === null) return [1, 1];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  throw new GraftError('KERNEL_UNSUPPORTED', `Expected ${name} to be a number or [number, number]. Actual: ${JSON.stringify(value)}.`);
}

/**
 * The wasm forward kernels only run channels-last (NHWC) data, so their gradients do too.
 *
 * @throws GraftError('KERNEL_UNSUPPORTED') for any other data format.
 */
export function assertChannelsLast(dataFormat: unknown, kernelName: string): void {
  if (dataFormat === undefined || dataFormat === null || dataFormat === 'NHWC' || dataFormat === 'channelsLast') return;
  throw new GraftError(
    'KERNEL_UNSUPPORTED',
    `${kernelName} on wasm supports dataFormat "NHWC" only (the wasm forward kernels do too). Actual: ${JSON.stringify(dataFormat)}.`,
  );
}

/** Asserts a rank-4 shape, naming the tensor in the error. */
export function shape4(info: TensorInfo | number[], name: string, kernelName: string): [number, number, number, number] {
  const shape = Array.isArray(info) ? info : info.shape;
  if (shape.length !== 4) {
    throw new GraftError('KERNEL_UNSUPPORTED', `${kernelName}: ${name} must be rank 4. Actual shape: [${shape.join(',')}].`);
  }
  return shape as [number, number, number, number];
}
