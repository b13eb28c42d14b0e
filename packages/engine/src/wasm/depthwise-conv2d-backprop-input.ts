import { DepthwiseConv2dNativeBackpropInput, type KernelFunc } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { callWasmKernel, release, reshapeInfo } from './kernel-calls.js';
import { wasmKernel } from './override.js';
import { inputGradientCall, spreadForInputGradient } from './spatial.js';

const kernelName = DepthwiseConv2dNativeBackpropInput;

/**
 * dL/dx of a depthwise convolution as a forward depthwise convolution: spread `dy` by the strides, shift it by
 * the padding, and correlate it with the spatially flipped filter (same dilations); channel multipliers are
 * then summed back onto their input channel.
 */
const depthwiseConv2dNativeBackpropInput: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter, inputShape, filterShape, dyShape, info } = inputGradientCall(inputs, attrs, kernelName, true);
  const [filterHeight, filterWidth, channels, multiplier] = filterShape;
  const [, outHeight, outWidth, dyChannels] = dyShape;
  if (info.outHeight !== outHeight || info.outWidth !== outWidth || dyChannels !== channels * multiplier) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${kernelName}: dy [${dy.shape.join(',')}] does not match input [${inputShape.join(',')}] and filter ` +
        `[${filter.shape.join(',')}]; expected dy [${inputShape[0]},${info.outHeight},${info.outWidth},${channels * multiplier}].`,
    );
  }
  const shifted = spreadForInputGradient(wasm, dy, info);
  const flipped = callWasmKernel(wasm, 'Reverse', { x: filter }, { dims: [0, 1] });
  const flatFilter = reshapeInfo(wasm, flipped, [filterHeight, filterWidth, channels * multiplier, 1]);
  const spreadDx = callWasmKernel(wasm, 'DepthwiseConv2dNative', { x: shifted, filter: flatFilter }, {
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: 'valid',
    dataFormat: 'NHWC',
  });
  release(wasm, shifted, flipped, flatFilter);
  if (multiplier === 1) return spreadDx;
  const grouped = reshapeInfo(wasm, spreadDx, [...inputShape, multiplier]);
  const out = callWasmKernel(wasm, 'Sum', { x: grouped }, { axis: [4], keepDims: false });
  release(wasm, spreadDx, grouped);
  return out;
};

/** `DepthwiseConv2dNativeBackpropInput` for the wasm backend, which ships without it. */
export const depthwiseConv2dNativeBackpropInputOverride = wasmKernel(kernelName, () => depthwiseConv2dNativeBackpropInput);
