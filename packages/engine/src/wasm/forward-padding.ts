import * as tf from '@tensorflow/tfjs';
import { type backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callWasmKernel, release } from './kernel-calls.js';
import { required, wasmKernel, type WasmOverride } from './override.js';
import { windowInfo } from './spatial.js';

/** How to run a forward conv so XNNPACK computes exactly the windows tfjs' shape rules describe. */
export interface ExplicitWindow {
  /** Explicit padding; bottom/right may exceed tfjs' so XNNPACK yields at least tfjs' output size. */
  readonly pad: backend_util.ExplicitPadding;
  /** tfjs' output size, to crop XNNPACK's output to when it is larger. */
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * tfjs-backend-wasm 4.22 lets XNNPACK derive the output size from the padding, while tfjs allocates the output
 * from its own rules. They disagree for `'same'` with some strides (wrong values) and for numeric padding with
 * non-square windows or `dimRoundingMode: 'ceil' | 'round'` (XNNPACK writes past the output buffer). This
 * computes explicit padding that gives XNNPACK the same windows, so the result matches the cpu backend.
 */
export function explicitWindow(
  xShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
  depthwise: boolean,
): ExplicitWindow {
  const info = windowInfo(xShape, filterShape, attrs, depthwise);
  const { top, bottom, left, right } = info.padInfo;
  const reachH = (info.filterHeight - 1) * info.dilationHeight + 1;
  const reachW = (info.filterWidth - 1) * info.dilationWidth + 1;
  const neededBottom = (info.outHeight - 1) * info.strideHeight + reachH - info.inHeight - top;
  const neededRight = (info.outWidth - 1) * info.strideWidth + reachW - info.inWidth - left;
  return {
    pad: [[0, 0], [top, Math.max(bottom, neededBottom)], [left, Math.max(right, neededRight)], [0, 0]],
    outHeight: info.outHeight,
    outWidth: info.outWidth,
  };
}

/** `original` with every padding sent as explicit padding matching tfjs' windows ({@link explicitWindow}). */
export function withExplicitPadding(original: KernelConfig, depthwise: boolean): KernelFunc {
  return (args) => {
    const attrs = args.attrs ?? {};
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    if (attrs['pad'] === 'valid' || x.shape.length !== 4) return original.kernelFunc(args);
    const window = explicitWindow(x.shape, filter.shape, attrs, depthwise);
    const { dimRoundingMode: _ignored, ...rest } = attrs;
    const out = original.kernelFunc({ ...args, attrs: { ...rest, pad: window.pad } }) as TensorInfo;
    const [batch = 1, height = 1, width = 1, channels = 1] = out.shape;
    if (height === window.outHeight && width === window.outWidth) return out;
    const backend = args.backend as BackendWasm;
    const cropped = callWasmKernel(backend, 'Slice', { x: out }, {
      begin: [0, 0, 0, 0],
      size: [batch, window.outHeight, window.outWidth, channels],
    });
    release(backend, out);
    return cropped;
  };
}

/**
 * A wasm forward conv kernel (Conv2D, DepthwiseConv2dNative and their fused forms) that sends every padding to
 * XNNPACK as explicit padding matching tfjs' shape rules; see {@link explicitWindow}. One fix for four kernels
 * (Conv2D's is part of `conv2d-forward.ts`, which runs most convolutions on graft's own kernel).
 */
function explicitPadding(kernelName: string, depthwise: boolean): WasmOverride {
  return wasmKernel(kernelName, (original) => withExplicitPadding(required(original, kernelName), depthwise));
}

export const fusedConv2DPaddingOverride = explicitPadding(tf.FusedConv2D, false);
export const depthwiseConv2dPaddingOverride = explicitPadding(tf.DepthwiseConv2dNative, true);
export const fusedDepthwiseConv2DPaddingOverride = explicitPadding(tf.FusedDepthwiseConv2D, true);
