import { Conv2DBackpropInput, type KernelFunc } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { convolveByTaps } from './conv2d-taps.js';
import { callWasmKernel, release } from './kernel-calls.js';
import { wasmKernel } from './override.js';
import { inputGradientCall, spreadForInputGradient } from './spatial.js';

const kernelName = Conv2DBackpropInput;

/**
 * dL/dx of a 2-D convolution as a forward convolution: `dy`, spread by the strides and shifted by the padding,
 * correlated with the spatially flipped filter whose in/out channels are swapped. Stride 1 runs on graft's tap-by-tap
 * SIMD convolution, reading `dy` in place and the filter's taps in reverse; other strides spread `dy` and run the
 * forward Conv2D. tfjs-backend-wasm 4.22's own kernel is a naive loop, ~10× slower than the forward conv for 32→32
 * channels. Accepts an optional `dilations` attribute, like graft's Conv2DBackpropFilter.
 */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter, inputShape, filterShape, dyShape, info } = inputGradientCall(inputs, attrs, kernelName, false);
  const [, outHeight, outWidth, dyChannels] = dyShape;
  const [filterHeight, filterWidth, filterIn, filterOut] = filterShape;
  if (info.outHeight !== outHeight || info.outWidth !== outWidth || dyChannels !== filterOut || inputShape[3] !== filterIn) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${kernelName}: dy [${dy.shape.join(',')}] does not match input [${inputShape.join(',')}] and filter ` +
        `[${filterShape.join(',')}]; expected dy [${inputShape[0]},${info.outHeight},${info.outWidth},${filterOut}] ` +
        `and input channels ${filterIn}.`,
    );
  }
  const swapped = callWasmKernel(wasm, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
  try {
    if (info.strideHeight === 1 && info.strideWidth === 1) {
      const byTaps = convolveByTaps(wasm, dy, swapped, {
        outHeight: inputShape[1],
        outWidth: inputShape[2],
        strides: [1, 1],
        dilations: [info.dilationHeight, info.dilationWidth],
        top: (filterHeight - 1) * info.dilationHeight - info.padInfo.top,
        left: (filterWidth - 1) * info.dilationWidth - info.padInfo.left,
        flipTaps: true,
      });
      if (byTaps !== undefined) return byTaps;
    }
    const shifted = spreadForInputGradient(wasm, dy, info);
    const flipped = callWasmKernel(wasm, 'Reverse', { x: swapped }, { dims: [0, 1] });
    try {
      return callWasmKernel(wasm, 'Conv2D', { x: shifted, filter: flipped }, {
        strides: [1, 1],
        dilations: [info.dilationHeight, info.dilationWidth],
        pad: 'valid',
        dataFormat: 'NHWC',
      });
    } finally {
      release(wasm, shifted, flipped);
    }
  } finally {
    release(wasm, swapped);
  }
};

/** `Conv2DBackpropInput` for the wasm backend, replacing tfjs-backend-wasm's naive kernel. */
export const conv2DBackpropInputOverride = wasmKernel(kernelName, () => conv2DBackpropInput);
