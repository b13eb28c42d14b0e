import type { TensorInfo, backend_util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapAddress, simdKernels, type SimdKernels } from './simd/simd-kernels.js';

/** Where a convolution's windows sit on its input, as tfjs' `Conv2DInfo` gives them. */
export interface TapGeometry {
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** Rows and columns of padding before the input. */
  readonly top: number;
  readonly left: number;
  /** Reads the filter's taps in reverse (both spatial axes), as the input gradient's correlation needs. */
  readonly flipTaps?: boolean;
}

/** One filter tap with the output rows `[y0, y1)` and columns `[x0, x1)` whose input position exists. */
interface Tap {
  readonly i: number;
  readonly j: number;
  readonly y0: number;
  readonly y1: number;
  readonly x0: number;
  readonly x1: number;
  /** Input row and column of output `(y0, x0)` under this tap. */
  readonly inRow: number;
  readonly inCol: number;
}

/** Output positions `o` whose input position `o·stride + offset` lies in `[0, size)`. */
function validRange(offset: number, stride: number, size: number, outSize: number): [number, number] {
  const first = Math.max(0, Math.ceil(-offset / stride));
  const end = Math.min(outSize, Math.floor((size - 1 - offset) / stride) + 1);
  return [first, Math.max(first, end)];
}

/** Every tap of a `filterHeight × filterWidth` window that reaches the input, with the outputs it reaches. */
function reachingTaps(geometry: TapGeometry, inHeight: number, inWidth: number, filterHeight: number, filterWidth: number): Tap[] {
  const { outHeight, outWidth, strides: [strideH, strideW], dilations: [dilationH, dilationW], top, left } = geometry;
  const taps: Tap[] = [];
  for (let i = 0; i < filterHeight; i++) {
    const [y0, y1] = validRange(i * dilationH - top, strideH, inHeight, outHeight);
    for (let j = 0; j < filterWidth; j++) {
      const [x0, x1] = validRange(j * dilationW - left, strideW, inWidth, outWidth);
      if (y1 > y0 && x1 > x0) taps.push({ i, j, y0, y1, x0, x1, inRow: y0 * strideH + i * dilationH - top, inCol: x0 * strideW + j * dilationW - left });
    }
  }
  return taps;
}

/**
 * What both tap-by-tap kernels need: the SIMD kernels, a float32 output to accumulate into (zeroed unless the caller
 * writes all of it first), and the heap addresses of the output and the two float32 inputs.
 */
function accumulator(
  wasm: BackendWasm,
  shape: number[],
  a: TensorInfo,
  b: TensorInfo,
  zeroed = true,
): { kernels: SimdKernels; out: TensorInfo; addresses: [number, number, number] } | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const kernels = simdKernels(wasm);
  if (kernels === undefined) return undefined;
  const out = wasm.makeOutput(shape, 'float32');
  if (zeroed) (wasm.typedArrayFromHeap(out) as Float32Array).fill(0);
  return { kernels, out, addresses: [heapAddress(wasm, out), heapAddress(wasm, a), heapAddress(wasm, b)] };
}

/**
 * A 2-D convolution (NHWC float32, filter `[kh, kw, in, out]`) on graft's register-blocked SIMD product, tap by
 * tap and read in place: `out[n, y, x, :] += X[n, y·sh + i·dh − top, x·sw + j·dw − left, :] · W[i, j]` — for each
 * image and tap one batch (over output rows) of `[width, in] · [in, out]` products with strided rows of `X`, over the
 * rows and columns whose input exists, so padding costs nothing and no patch matrix is built. `undefined` when it does
 * not apply (output channels not a multiple of 4, fewer than 8 input channels, another dtype, no SIMD); the caller
 * then runs XNNPACK.
 */
export function convolveByTaps(wasm: BackendWasm, x: TensorInfo, filter: TensorInfo, geometry: TapGeometry): TensorInfo | undefined {
  const [batch = 0, inHeight = 0, inWidth = 0, inChannels = 0] = x.shape;
  const [filterHeight = 0, filterWidth = 0, filterIn = 0, outChannels = 0] = filter.shape;
  // With few input channels each product is too shallow to keep the registers busy; XNNPACK does better there.
  if (outChannels % 4 !== 0 || inChannels < 8 || filterIn !== inChannels) return undefined;
  const { outHeight, outWidth, strides: [strideH, strideW] } = geometry;
  const taps = reachingTaps(geometry, inHeight, inWidth, filterHeight, filterWidth);
  // A tap that reaches every output (the centre of a 'same' window) goes first and writes the output instead of
  // adding to it, which saves zeroing it.
  const covering = taps.findIndex((tap) => tap.y0 === 0 && tap.y1 === outHeight && tap.x0 === 0 && tap.x1 === outWidth);
  if (covering > 0) taps.unshift(...taps.splice(covering, 1));
  const target = accumulator(wasm, [batch, outHeight, outWidth, outChannels], x, filter, covering === -1);
  if (target === undefined) return undefined;
  const { kernels, out, addresses: [outBase, xBase, filterBase] } = target;
  const tapBytes = inChannels * outChannels * 4;
  for (const [index, { i, j, y0, y1, x0, x1, inRow, inCol }] of taps.entries()) {
    const tap = geometry.flipTaps === true ? (filterHeight - 1 - i) * filterWidth + filterWidth - 1 - j : i * filterWidth + j;
    for (let n = 0; n < batch; n++) {
      kernels.matmul(
        xBase + (((n * inHeight + inRow) * inWidth + inCol) * inChannels) * 4,
        filterBase + tap * tapBytes,
        outBase + (((n * outHeight + y0) * outWidth + x0) * outChannels) * 4,
        y1 - y0, x1 - x0, inChannels, outChannels,
        strideH * inWidth * inChannels * 4, 0, strideW * inChannels * 4, 4, outWidth * outChannels * 4,
        index === 0 && covering !== -1 ? 0 : 1,
      );
    }
  }
  return out;
}

/**
 * dL/dFilter of an undilated stride-1 Conv2D (NHWC) on graft's SIMD product, tap by tap and read in place:
 * `dW[i, j] = Σ_{n, y} X[n, y + i − top, x0 + j − left : …, :]ᵀ · dY[n, y, x0 : …, :]` — for each filter tap and
 * input image, one accumulating batch of `[width, inChannels]ᵀ · [width, outChannels]` products over the output rows
 * whose shifted input row exists, so padding costs nothing and no patch matrix is built. `undefined` when it does not
 * apply (strides or dilations other than 1, output channels not a multiple of 4, no SIMD).
 */
export function filterGradientByTaps(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | undefined {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  if (outChannels % 4 !== 0) return undefined;
  const target = accumulator(wasm, [filterHeight, filterWidth, inChannels, outChannels], x, dy);
  if (target === undefined) return undefined;
  const { kernels, out, addresses: [outBase, xBase, dyBase] } = target;
  const tapBytes = inChannels * outChannels * 4;
  const geometry = { outHeight, outWidth, strides: [1, 1], dilations: [1, 1], top: info.padInfo.top, left: info.padInfo.left } as const;
  for (const { i, j, y0, y1, x0, x1, inRow, inCol } of reachingTaps(geometry, inHeight, inWidth, filterHeight, filterWidth)) {
    const tap = outBase + (i * filterWidth + j) * tapBytes;
    for (let n = 0; n < batchSize; n++) {
      kernels.matmul(
        xBase + (((n * inHeight + inRow) * inWidth + inCol) * inChannels) * 4,
        dyBase + (((n * outHeight + y0) * outWidth + x0) * outChannels) * 4,
        tap,
        y1 - y0, inChannels, x1 - x0, outChannels,
        inWidth * inChannels * 4, outWidth * outChannels * 4, 4, inChannels * 4,
        0, 1,
      );
    }
  }
  return out;
}
