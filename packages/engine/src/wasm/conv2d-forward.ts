import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convolveByTaps } from './conv2d-taps.js';
import { withExplicitPadding } from './forward-padding.js';
import { required, wasmKernel } from './override.js';
import { windowInfo } from './spatial.js';

/**
 * The wasm Conv2D: NHWC float32 convolutions with output channels in fours and 8 or more input channels run tap by
 * tap on graft's register-blocked SIMD product ({@link convolveByTaps}; with fused multiply-adds where the runtime
 * has relaxed SIMD); the rest run on XNNPACK with explicit padding matching tfjs' windows.
 */
function makeConv2D(xnnpack: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs ?? {};
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const dataFormat = attrs['dataFormat'];
    if (x.shape.length === 4 && filter.shape.length === 4 && (dataFormat === undefined || dataFormat === 'NHWC')) {
      const info = windowInfo(x.shape, filter.shape, attrs, false);
      const out = convolveByTaps(args.backend as BackendWasm, x, filter, {
        outHeight: info.outHeight,
        outWidth: info.outWidth,
        strides: [info.strideHeight, info.strideWidth],
        dilations: [info.dilationHeight, info.dilationWidth],
        top: info.padInfo.top,
        left: info.padInfo.left,
      });
      if (out !== undefined) return out;
    }
    return xnnpack(args);
  };
}

/** `Conv2D` on wasm: graft's tap-by-tap SIMD convolution where it applies, XNNPACK (with tfjs' windows) elsewhere. */
export const conv2DOverride = wasmKernel(tf.Conv2D, (original) => makeConv2D(withExplicitPadding(required(original, tf.Conv2D), false)));
