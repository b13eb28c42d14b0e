import type { TensorInfo, backend_util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapAddress, simdKernels } from './simd/simd-kernels.js';

/**
 * dL/dFilter of an undilated stride-1 Conv2D (NHWC) on graft's SIMD kernel, tap by tap and read in place:
 * `dW[i, j] = Σ_{n, y} X[n, y + i − top, x0 + j − left : …, :]ᵀ · dY[n, y, x0 : …, :]` — for each filter tap and
 * input image, one accumulating batch of `[width, inChannels]ᵀ · [width, outChannels]` products over the output rows
 * whose shifted input row exists, so padding costs nothing and no patch matrix is built. `undefined` when it does not
 * apply (strides or dilations other than 1, output channels not a multiple of 4, no SIMD).
 */
export function filterGradientByTaps(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | undefined {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  if (outChannels % 4 !== 0 || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const kernels = simdKernels(wasm);
  if (kernels === undefined) return undefined;
  const { top, left } = info.padInfo;
  const out = wasm.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  (wasm.typedArrayFromHeap(out) as Float32Array).fill(0);
  const xBase = heapAddress(wasm, x);
  const dyBase = heapAddress(wasm, dy);
  const outBase = heapAddress(wasm, out);
  const tapBytes = inChannels * outChannels * 4;
  for (let i = 0; i < filterHeight; i++) {
    // Output rows y whose input row y + i − top lies inside the image.
    const y0 = Math.max(0, top - i);
    const y1 = Math.min(outHeight, inHeight + top - i);
    for (let j = 0; j < filterWidth; j++) {
      const x0 = Math.max(0, left - j);
      const x1 = Math.min(outWidth, inWidth + left - j);
      if (y1 <= y0 || x1 <= x0) continue;
      const tap = outBase + (i * filterWidth + j) * tapBytes;
      for (let n = 0; n < batchSize; n++) {
        const a = xBase + (((n * inHeight + y0 + i - top) * inWidth + x0 + j - left) * inChannels) * 4;
        const b = dyBase + (((n * outHeight + y0) * outWidth + x0) * outChannels) * 4;
        kernels.matmul(
          a, b, tap,
          y1 - y0, inChannels, x1 - x0, outChannels,
          inWidth * inChannels * 4, outWidth * outChannels * 4, 4, inChannels * 4,
          0, 1,
        );
      }
    }
  }
  return out;
}
