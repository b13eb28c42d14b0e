import { DepthwiseConv2dNativeBackpropFilter, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { assertChannelsLast, callWasmKernel, pair, release, reshapeInfo, shape4 } from './kernel-calls.js';
import { matMul } from './matmul.js';
import { wasmKernel } from './override.js';
import { extractPatches } from './patches.js';

const kernelName = DepthwiseConv2dNativeBackpropFilter;

/** dL/dFilter of a depthwise convolution: per channel, `patches(x)ᵀ · dy` over that channel's multipliers. */
const depthwiseConv2dNativeBackpropFilter: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  assertChannelsLast(attrs['dataFormat'], kernelName);
  const [batch, , , channels] = shape4(x, 'x', kernelName);
  const [dyBatch, outHeight, outWidth, outChannels] = shape4(dy, 'dy', kernelName);
  const [filterHeight, filterWidth, filterChannels, multiplier] = shape4(
    attrs['filterShape'] as number[],
    'filterShape',
    kernelName,
  );
  if (dyBatch !== batch || filterChannels !== channels || outChannels !== channels * multiplier) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${kernelName}: shapes do not match. x: [${x.shape.join(',')}], dy: [${dy.shape.join(',')}], ` +
        `filter: [${filterHeight},${filterWidth},${filterChannels},${multiplier}].`,
    );
  }
  const patches = extractPatches(wasm, x, filterHeight, filterWidth, {
    strides: pair(attrs['strides'], 'strides'),
    dilations: pair(attrs['dilations'], 'dilations'),
    pad: attrs['pad'],
    dimRoundingMode: attrs['dimRoundingMode'],
  });
  if (patches.shape[1] !== outHeight || patches.shape[2] !== outWidth) {
    release(wasm, patches);
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${kernelName}: dy has spatial size ${outHeight}x${outWidth} but the window attributes give ` +
        `${patches.shape[1]}x${patches.shape[2]}.`,
    );
  }
  const positions = batch * outHeight * outWidth;
  const taps = filterHeight * filterWidth;
  // Batch the product over channels: [C, P, taps]ᵀ · [C, P, multiplier] → [C, taps, multiplier].
  const patches3d = reshapeInfo(wasm, patches, [positions, channels, taps]);
  const patchesByChannel = callWasmKernel(wasm, 'Transpose', { x: patches3d }, { perm: [1, 0, 2] });
  const dy3d = reshapeInfo(wasm, dy, [positions, channels, multiplier]);
  const dyByChannel = callWasmKernel(wasm, 'Transpose', { x: dy3d }, { perm: [1, 0, 2] });
  const product = matMul(wasm, patchesByChannel, dyByChannel, true, false);
  release(wasm, patches, patches3d, patchesByChannel, dy3d, dyByChannel);
  const grouped = reshapeInfo(wasm, product, [channels, filterHeight, filterWidth, multiplier]);
  const out = callWasmKernel(wasm, 'Transpose', { x: grouped }, { perm: [1, 2, 0, 3] });
  release(wasm, product, grouped);
  return out;
};

/** `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which ships without it. */
export const depthwiseConv2dNativeBackpropFilterOverride = wasmKernel(kernelName, () => depthwiseConv2dNativeBackpropFilter);
