import {
  DepthwiseConv2dNativeBackpropInput,
  backend_util,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { assertChannelsLast, callWasmKernel, pair, release, reshapeInfo, shape4 } from './kernel-calls.js';
import { wasmKernel } from './override.js';
import { spreadForInputGradient } from './spatial.js';

const kernelName = DepthwiseConv2dNativeBackpropInput;

/**
 * dL/dx of a depthwise convolution as a forward depthwise convolution: spread `dy` by the strides, shift it by
 * the padding, and correlate it with the spatially flipped filter (same dilations); channel multipliers are
 * then summed back onto their input channel.
 */
const depthwiseConv2dNativeBackpropInput: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  assertChannelsLast(attrs['dataFormat'], kernelName);
  const inputShape = shape4(attrs['inputShape'] as number[], 'inputShape', kernelName);
  const [filterHeight, filterWidth, channels, multiplier] = shape4(filter, 'filter', kernelName);
  const [, outHeight, outWidth, dyChannels] = shape4(dy, 'dy', kernelName);
  const strides = pair(attrs['strides'], 'strides');
  const dilations = pair(attrs['dilations'], 'dilations');
  const info = backend_util.computeConv2DInfo(
    inputShape,
    [filterHeight, filterWidth, channels, multiplier],
    strides,
    dilations,
    attrs['pad'] as backend_util.ExplicitPadding,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
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
    dilations,
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
