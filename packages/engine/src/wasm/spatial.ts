import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertChannelsLast, callWasmKernel, pair, release, reshapeInfo, shape4 } from './kernel-calls.js';

/** tfjs' windows of a conv (or depthwise conv) of `xShape` by `filterShape` with a kernel's window attributes. */
export function windowInfo(xShape: readonly number[], filterShape: readonly number[], attrs: NamedAttrMap, depthwise: boolean): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    pair(attrs['strides'], 'strides'),
    pair(attrs['dilations'], 'dilations'),
    attrs['pad'] as backend_util.ExplicitPadding,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    depthwise,
  );
}

/** What an input-gradient kernel (`{ dy, filter }`, `inputShape` attribute) is asked, checked to be NHWC and rank 4. */
export interface InputGradientCall {
  readonly dy: TensorInfo;
  readonly filter: TensorInfo;
  readonly inputShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly dyShape: [number, number, number, number];
  /** The forward conv's windows. */
  readonly info: backend_util.Conv2DInfo;
}

/** Reads an input-gradient kernel's inputs and attributes (Conv2D's or the depthwise one's). */
export function inputGradientCall(inputs: object, attrs: NamedAttrMap, kernelName: string, depthwise: boolean): InputGradientCall {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  assertChannelsLast(attrs['dataFormat'], kernelName);
  const inputShape = shape4(attrs['inputShape'] as number[], 'inputShape', kernelName);
  const filterShape = shape4(filter, 'filter', kernelName);
  const dyShape = shape4(dy, 'dy', kernelName);
  return { dy, filter, inputShape, filterShape, dyShape, info: windowInfo(inputShape, filterShape, attrs, depthwise) };
}

/**
 * Inserts `factor - 1` zeros after every row (`axis` 1) or column (`axis` 2) of an NHWC tensor, so that
 * element `i` lands at `i * factor`. The result has `size * factor` rows (or columns), the last ones zero.
 */
export function interleaveZeros(backend: BackendWasm, x: TensorInfo, axis: 1 | 2, factor: number): TensorInfo {
  const [n = 1, h = 1, w = 1, c = 1] = x.shape;
  if (factor === 1) return reshapeInfo(backend, x, [n, h, w, c]);
  const spread = axis === 1 ? reshapeInfo(backend, x, [n, h, 1, w * c]) : reshapeInfo(backend, x, [n * h, w, 1, c]);
  const padded = callWasmKernel(backend, 'PadV2', { x: spread }, {
    paddings: [[0, 0], [0, 0], [0, factor - 1], [0, 0]],
    constantValue: 0,
  });
  const out = reshapeInfo(backend, padded, axis === 1 ? [n, h * factor, w, c] : [n, h, w * factor, c]);
  release(backend, spread, padded);
  return out;
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor:
 * `edges` is `[[top, bottom], [left, right]]`.
 */
export function padOrCrop(backend: BackendWasm, x: TensorInfo, edges: [[number, number], [number, number]]): TensorInfo {
  const [n = 1, h = 1, w = 1, c = 1] = x.shape;
  const [[top, bottom], [left, right]] = edges;
  const needsPad = top > 0 || bottom > 0 || left > 0 || right > 0;
  const padded = needsPad
    ? callWasmKernel(backend, 'PadV2', { x }, {
        paddings: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]],
        constantValue: 0,
      })
    : reshapeInfo(backend, x, [n, h, w, c]);
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return padded;
  const out = callWasmKernel(backend, 'Slice', { x: padded }, {
    begin: [0, Math.max(0, -top), Math.max(0, -left), 0],
    size: [n, h + top + bottom, w + left + right, c],
  });
  release(backend, padded);
  return out;
}

/**
 * The input gradient of a convolution is a stride-1 `'valid'` correlation of `dy` with the spatially flipped
 * filter (same dilations) once `dy` is spread by the strides and shifted by the padding. This returns that spread,
 * shifted `dy`: `[batch, inHeight + reachH, inWidth + reachW, channels]`, so the correlation yields exactly the
 * input's spatial size.
 */
export function spreadForInputGradient(backend: BackendWasm, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, inHeight, inWidth, outHeight, outWidth } = info;
  const tall = interleaveZeros(backend, dy, 1, strideHeight);
  const spread = interleaveZeros(backend, tall, 2, strideWidth);
  const reachH = (info.filterHeight - 1) * dilationHeight;
  const reachW = (info.filterWidth - 1) * dilationWidth;
  const top = reachH - info.padInfo.top;
  const left = reachW - info.padInfo.left;
  const shifted = padOrCrop(backend, spread, [
    [top, inHeight + reachH - top - outHeight * strideHeight],
    [left, inWidth + reachW - left - outWidth * strideWidth],
  ]);
  release(backend, tall, spread);
  return shifted;
}
