import { Conv2DBackpropFilter, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { assertChannelsLast, callWasmKernel, pair, release, reshapeInfo, shape4 } from './kernel-calls.js';
import { matMul } from './matmul.js';
import { extractPatches } from './patches.js';

/**
 * dL/dFilter of a 2-D convolution: `patches(x)ᵀ · dy`, with the patches gathered by the forward kernel itself.
 * Accepts an optional `dilations` attribute (tfjs' own gradient never sends one; graft's Conv2D gradient does).
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  assertChannelsLast(attrs['dataFormat'], Conv2DBackpropFilter);
  const [batch, , , inChannels] = shape4(x, 'x', Conv2DBackpropFilter);
  const [dyBatch, outHeight, outWidth, outChannels] = shape4(dy, 'dy', Conv2DBackpropFilter);
  const [filterHeight, filterWidth, filterIn, filterOut] = shape4(
    attrs['filterShape'] as number[],
    'filterShape',
    Conv2DBackpropFilter,
  );
  if (dyBatch !== batch || filterIn !== inChannels || filterOut !== outChannels) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${Conv2DBackpropFilter}: shapes do not match. x: [${x.shape.join(',')}], dy: [${dy.shape.join(',')}], ` +
        `filter: [${filterHeight},${filterWidth},${filterIn},${filterOut}].`,
    );
  }
  const patches = extractPatches(wasm, x, filterHeight, filterWidth, {
    strides: pair(attrs['strides'], 'strides'),
    dilations: pair(attrs['dilations'], 'dilations'),
    pad: attrs['pad'],
    dimRoundingMode: attrs['dimRoundingMode'],
  });
  const positions = batch * outHeight * outWidth;
  const taps = inChannels * filterHeight * filterWidth;
  if (patches.shape[1] !== outHeight || patches.shape[2] !== outWidth) {
    release(wasm, patches);
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${Conv2DBackpropFilter}: dy has spatial size ${outHeight}x${outWidth} but the window attributes give ` +
        `${patches.shape[1]}x${patches.shape[2]}.`,
    );
  }
  const patches2d = reshapeInfo(wasm, patches, [positions, taps]);
  const dy2d = reshapeInfo(wasm, dy, [positions, outChannels]);
  const product = matMul(wasm, patches2d, dy2d, true, false); // [inChannels * taps, outChannels]
  release(wasm, patches, patches2d, dy2d);
  if (inChannels === 1) {
    const out = reshapeInfo(wasm, product, [filterHeight, filterWidth, 1, outChannels]);
    release(wasm, product);
    return out;
  }
  const grouped = reshapeInfo(wasm, product, [inChannels, filterHeight, filterWidth, outChannels]);
  const out = callWasmKernel(wasm, 'Transpose', { x: grouped }, { perm: [1, 2, 0, 3] });
  release(wasm, product, grouped);
  return out;
};

/** `Conv2DBackpropFilter` for the wasm backend, which ships without it. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
