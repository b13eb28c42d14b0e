import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

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

/** Output positions `o` (rows or columns) whose input position `o·stride + offset` lies in `[0, size)`. */
function validRange(offset: number, stride: number, size: number, outSize: number): [number, number] {
  const first = Math.max(0, Math.ceil(-offset / stride));
  const end = Math.min(outSize, Math.floor((size - 1 - offset) / stride) + 1);
  return [first, Math.max(first, end)];
}

/**
 * A 2-D convolution (NHWC float32, filter `[kh, kw, in, out]`) on graft's register-blocked SIMD product, tap by
 * tap and read in place: `out[n, y, x, :] += X[n, y·sh + i·dh − top, x·sw + j·dw − left, :] · W[i, j]` — for each
 * image and tap one batch (over output rows) of `[width, in] · [in, out]` products with strided rows of `X`, over the
 * rows and columns whose input exists, so padding costs nothing and no patch matrix is built. `undefined` when it does
 * not apply (output channels not a multiple of 4, few input channels, another dtype, no SIMD); the caller then runs
 * XNNPACK.
 */
export function convolveByTaps(wasm: BackendWasm, x: TensorInfo, filter: TensorInfo, geometry: TapGeometry): TensorInfo | undefined {
  const [batch = 0, inHeight = 0, inWidth = 0, inChannels = 0] = x.shape;
  const [filterHeight = 0, filterWidth = 0, filterIn = 0, outChannels = 0] = filter.shape;
  // With few input channels each product is too shallow to keep the registers busy; XNNPACK does better there.
  if (outChannels % 4 !== 0 || inChannels < 8 || filterIn !== inChannels || x.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  const kernels = simdKernels(wasm);
  if (kernels === undefined) return undefined;
  const { outHeight, outWidth, strides: [strideH, strideW], dilations: [dilationH, dilationW], top, left } = geometry;
  const out = wasm.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  (wasm.typedArrayFromHeap(out) as Float32Array).fill(0);
  const xBase = heapAddress(wasm, x);
  const filterBase = heapAddress(wasm, filter);
  const outBase = heapAddress(wasm, out);
  const tapBytes = inChannels * outChannels * 4;
  for (let i = 0; i < filterHeight; i++) {
    const rowOffset = i * dilationH - top;
    const [y0, y1] = validRange(rowOffset, strideH, inHeight, outHeight);
    for (let j = 0; j < filterWidth; j++) {
      const colOffset = j * dilationW - left;
      const [x0, x1] = validRange(colOffset, strideW, inWidth, outWidth);
      if (y1 <= y0 || x1 <= x0) continue;
      const tap = geometry.flipTaps === true ? (filterHeight - 1 - i) * filterWidth + filterWidth - 1 - j : i * filterWidth + j;
      for (let n = 0; n < batch; n++) {
        const a = xBase + (((n * inHeight + y0 * strideH + rowOffset) * inWidth + x0 * strideW + colOffset) * inChannels) * 4;
        const c = outBase + (((n * outHeight + y0) * outWidth + x0) * outChannels) * 4;
        kernels.matmul(
          a, filterBase + tap * tapBytes, c,
          y1 - y0, x1 - x0, inChannels, outChannels,
          strideH * inWidth * inChannels * 4, 0, strideW * inChannels * 4, 4, outWidth * outChannels * 4, 1,
        );
      }
    }
  }
  return out;
}
