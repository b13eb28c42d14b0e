import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callWasmKernel, makeFloat32, release } from './kernel-calls.js';

/** Window attributes shared by the forward conv kernels and their gradients. */
export interface WindowAttrs {
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: unknown;
  readonly dimRoundingMode: unknown;
}

/**
 * Gathers every filter window of `x` (NHWC) into channels: the result is `[batch, outHeight, outWidth,
 * inChannels * filterHeight * filterWidth]`, ordered channel-major then tap (kh, kw).
 *
 * It runs the forward depthwise kernel with a one-hot filter, so padding, strides, dilations and rounding
 * follow the forward conv exactly, and the work is linear in the channel count.
 */
export function extractPatches(
  backend: BackendWasm,
  x: TensorInfo,
  filterHeight: number,
  filterWidth: number,
  window: WindowAttrs,
): TensorInfo {
  const channels = x.shape[3] ?? 0;
  const taps = filterHeight * filterWidth;
  const oneHot = makeFloat32(backend, [filterHeight, filterWidth, channels, taps], (values) => {
    for (let tap = 0; tap < taps; tap++) {
      for (let c = 0; c < channels; c++) values[(tap * channels + c) * taps + tap] = 1;
    }
  });
  try {
    return callWasmKernel(backend, 'DepthwiseConv2dNative', { x, filter: oneHot }, {
      strides: window.strides,
      dilations: window.dilations,
      // The same pad and rounding as the forward pass, so the windows (and tfjs' shape rules) are identical.
      pad: window.pad as never,
      dimRoundingMode: window.dimRoundingMode as never,
      dataFormat: 'NHWC',
    });
  } finally {
    release(backend, oneHot);
  }
}
