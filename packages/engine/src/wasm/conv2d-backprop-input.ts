import { Conv2DBackpropInput, backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { assertChannelsLast, callWasmKernel, pair, release, shape4 } from './kernel-calls.js';
import { wasmKernel } from './override.js';
import { spreadForInputGradient } from './spatial.js';

const kernelName = Conv2DBackpropInput;

/**
 * dL/dx of a 2-D convolution as a forward convolution (XNNPACK): spread `dy` by the strides, shift it by the
 * padding, and correlate it with the spatially flipped filter whose in/out channels are swapped. tfjs-backend-wasm
 * 4.22's own kernel is a naive loop, ~10× slower than the forward conv for 32→32 channels. Accepts an optional
 * `dilations` attribute, like graft's Conv2DBackpropFilter.
 */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  assertChannelsLast(attrs['dataFormat'], kernelName);
  const inputShape = shape4(attrs['inputShape'] as number[], 'inputShape', kernelName);
  const filterShape = shape4(filter, 'filter', kernelName);
  const [, outHeight, outWidth, dyChannels] = shape4(dy, 'dy', kernelName);
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    pair(attrs['strides'], 'strides'),
    pair(attrs['dilations'], 'dilations'),
    attrs['pad'] as backend_util.ExplicitPadding,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
  );
  const [, , filterIn, filterOut] = filterShape;
  if (info.outHeight !== outHeight || info.outWidth !== outWidth || dyChannels !== filterOut || inputShape[3] !== filterIn) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${kernelName}: dy [${dy.shape.join(',')}] does not match input [${inputShape.join(',')}] and filter ` +
        `[${filterShape.join(',')}]; expected dy [${inputShape[0]},${info.outHeight},${info.outWidth},${filterOut}] ` +
        `and input channels ${filterIn}.`,
    );
  }
  const shifted = spreadForInputGradient(wasm, dy, info);
  const flipped = callWasmKernel(wasm, 'Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = callWasmKernel(wasm, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
  try {
    return callWasmKernel(wasm, 'Conv2D', { x: shifted, filter: swapped }, {
      strides: [1, 1],
      dilations: [info.dilationHeight, info.dilationWidth],
      pad: 'valid',
      dataFormat: 'NHWC',
    });
  } finally {
    release(wasm, shifted, flipped, swapped);
  }
};

/** `Conv2DBackpropInput` for the wasm backend, replacing tfjs-backend-wasm's naive kernel. */
export const conv2DBackpropInputOverride = wasmKernel(kernelName, () => conv2DBackpropInput);
