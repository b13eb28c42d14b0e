import {
  Conv2DBackpropFilter,
  backend_util,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GraftError } from '@graft/core';
import { assertChannelsLast, callWasmKernel, pair, release, reshapeInfo, shape4 } from './kernel-calls.js';
import { matMul } from './matmul.js';
import { wasmKernel } from './override.js';
import { extractPatches } from './patches.js';
import { filterGradientByTaps } from './conv2d-taps.js';

/**
 * `patches(x)ᵀ · dy`, with the patches gathered by the forward depthwise kernel itself: the cheaper way while the
 * patch matrix `[positions, inChannels · taps]` is no wider than `dy` (e.g. a first conv layer on 1 channel).
 */
function filterGradientByPatches(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, attrs: NamedAttrMap): TensorInfo {
  const { batchSize, inChannels, outChannels, filterHeight, filterWidth, outHeight, outWidth } = info;
  const patches = extractPatches(wasm, x, filterHeight, filterWidth, {
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: attrs['pad'],
    dimRoundingMode: attrs['dimRoundingMode'],
  });
  const positions = batchSize * outHeight * outWidth;
  const patches2d = reshapeInfo(wasm, patches, [positions, inChannels * filterHeight * filterWidth]);
  const dy2d = reshapeInfo(wasm, dy, [positions, outChannels]);
  const product = matMul(wasm, patches2d, dy2d, true, false); // [inChannels * taps, outChannels]
  const grouped = reshapeInfo(wasm, product, [inChannels, filterHeight, filterWidth, outChannels]);
  const out = callWasmKernel(wasm, 'Transpose', { x: grouped }, { perm: [1, 2, 0, 3] });
  release(wasm, patches, patches2d, dy2d, product, grouped);
  return out;
}

/**
 * dL/dFilter of a 2-D convolution. With many input channels it runs as one forward convolution on XNNPACK:
 * `dW[a, b, c, o] = Σ x[n, a·d + i·s, b·d + j·s, c] · dy[n, i, j, o]` is a convolution of `x` laid out as
 * `[c, h, w, n]` (channels as the batch, the batch as channels) with `dy` laid out as a `[i, j, n, o]` filter,
 * the forward strides `s` as dilations and the forward dilations `d` as strides. Only `x` and `dy` are
 * transposed; no patch matrix is built (for a 3×3 filter on 32 channels it is 9× the input, and gathering,
 * transposing and multiplying it cost ~1.5× this convolution).
 * Accepts an optional `dilations` attribute (tfjs' own gradient never sends one; graft's Conv2D gradient does).
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  assertChannelsLast(attrs['dataFormat'], Conv2DBackpropFilter);
  const xShape = shape4(x, 'x', Conv2DBackpropFilter);
  const [batch, inHeight, inWidth, inChannels] = xShape;
  const [dyBatch, outHeight, outWidth, outChannels] = shape4(dy, 'dy', Conv2DBackpropFilter);
  const filterShape = shape4(attrs['filterShape'] as number[], 'filterShape', Conv2DBackpropFilter);
  const [filterHeight, filterWidth, filterIn, filterOut] = filterShape;
  const strides = pair(attrs['strides'], 'strides');
  const dilations = pair(attrs['dilations'], 'dilations');
  const describe = (): string =>
    `x: [${x.shape.join(',')}], dy: [${dy.shape.join(',')}], filter: [${filterShape.join(',')}]`;
  if (dyBatch !== batch || filterIn !== inChannels || filterOut !== outChannels) {
    throw new GraftError('KERNEL_UNSUPPORTED', `${Conv2DBackpropFilter}: shapes do not match. ${describe()}.`);
  }
  if (strides[0] > 1 && dilations[0] > 1 || strides[1] > 1 && dilations[1] > 1) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${Conv2DBackpropFilter}: strides [${strides.join(',')}] with dilations [${dilations.join(',')}]; along each ` +
        'axis one of them must be 1.',
    );
  }
  const info = backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    strides,
    dilations,
    attrs['pad'] as backend_util.ExplicitPadding,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  if (info.outHeight !== outHeight || info.outWidth !== outWidth) {
    throw new GraftError(
      'KERNEL_UNSUPPORTED',
      `${Conv2DBackpropFilter}: dy has spatial size ${outHeight}x${outWidth} but the window attributes give ` +
        `${info.outHeight}x${info.outWidth}. ${describe()}.`,
    );
  }
  if (inChannels * filterHeight * filterWidth <= outChannels) return filterGradientByPatches(wasm, x, dy, info, attrs);
  const byTaps = filterGradientByTaps(wasm, x, dy, info);
  if (byTaps !== undefined) return byTaps;
  // Rows the forward windows reach, from the top padding on; padding beyond the input is zeros, rows the windows
  // never reach (floor rounding) are left out of the output below.
  const { top, left } = info.padInfo;
  const reachH = (filterHeight - 1) * dilations[0] + (outHeight - 1) * strides[0] + 1;
  const reachW = (filterWidth - 1) * dilations[1] + (outWidth - 1) * strides[1] + 1;
  const xAsBatch = callWasmKernel(wasm, 'Transpose', { x }, { perm: [3, 1, 2, 0] }); // [c, h, w, n]
  const dyAsFilter = callWasmKernel(wasm, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [i, j, n, o]
  const product = callWasmKernel(wasm, 'Conv2D', { x: xAsBatch, filter: dyAsFilter }, {
    strides: dilations,
    dilations: strides,
    pad: [[0, 0], [top, Math.max(0, reachH - inHeight - top)], [left, Math.max(0, reachW - inWidth - left)], [0, 0]],
    dataFormat: 'NHWC',
  }); // [c, ≥kh, ≥kw, o]
  release(wasm, xAsBatch, dyAsFilter);
  const exact =
    product.shape[1] === filterHeight && product.shape[2] === filterWidth
      ? product
      : callWasmKernel(wasm, 'Slice', { x: product }, {
          begin: [0, 0, 0, 0],
          size: [inChannels, filterHeight, filterWidth, outChannels],
        });
  const out = callWasmKernel(wasm, 'Transpose', { x: exact }, { perm: [1, 2, 0, 3] });
  release(wasm, product);
  if (exact !== product) release(wasm, exact);
  return out;
};

/** `Conv2DBackpropFilter` for the wasm backend, which ships without it. */
export const conv2DBackpropFilterOverride = wasmKernel(Conv2DBackpropFilter, () => conv2DBackpropFilter);
